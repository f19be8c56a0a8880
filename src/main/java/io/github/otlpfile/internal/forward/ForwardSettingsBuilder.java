package io.github.otlpfile.internal.forward;

import static java.util.Objects.requireNonNull;

import io.github.otlpfile.CircuitBreakerConfig;
import io.github.otlpfile.OtlpFileExporterBuilder;
import io.github.otlpfile.internal.Signal;
import io.opentelemetry.api.metrics.MeterProvider;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The forwarding settings that the exporter builders and the receiver builder share, with their
 * defaults (the {@code DEFAULT_FORWARD_*} constants of {@link OtlpFileExporterBuilder}) and their
 * validation. The public builders check for {@code null} and delegate here; {@link #build} checks
 * ranges and combinations for one signal.
 *
 * <p>Not thread-safe.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ForwardSettingsBuilder {
  private String endpoint;
  private Map<String, String> headers = Collections.emptyMap();
  private Duration timeout = OtlpFileExporterBuilder.DEFAULT_FORWARD_TIMEOUT;
  private int maxInFlight = OtlpFileExporterBuilder.DEFAULT_FORWARD_MAX_IN_FLIGHT;
  private CircuitBreakerConfig circuitBreaker = CircuitBreakerConfig.getDefault();
  // null: on when the reader's dependencies are there.
  private Boolean catchUp;
  private long catchUpRate = OtlpFileExporterBuilder.DEFAULT_FORWARD_CATCH_UP_RATE;

  public void setEndpoint(String url) {
    this.endpoint = url;
  }

  /** Copies {@code headers}, checking every key and value for {@code null}. */
  public void setHeaders(Map<String, String> headers) {
    Map<String, String> copy = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : headers.entrySet()) {
      copy.put(
          requireNonNull(header.getKey(), "forwardHeaders key"),
          requireNonNull(header.getValue(), "forwardHeaders value"));
    }
    this.headers = Collections.unmodifiableMap(copy);
  }

  public void setTimeout(Duration timeout) {
    this.timeout = timeout;
  }

  public void setMaxInFlight(int batches) {
    this.maxInFlight = batches;
  }

  public void setCircuitBreaker(CircuitBreakerConfig circuitBreaker) {
    this.circuitBreaker = circuitBreaker;
  }

  public void setCatchUp(boolean catchUp) {
    this.catchUp = catchUp;
  }

  public void setCatchUpRate(long itemsPerSecond) {
    this.catchUpRate = itemsPerSecond;
  }

  /** Whether an endpoint was set. */
  public boolean hasEndpoint() {
    return endpoint != null;
  }

  /**
   * Validates the forwarding settings of {@code signal} and returns them, or {@code null} when
   * nothing is forwarded. Creates no delegate: the core does, once everything else has been built.
   *
   * @param forwardTo the delegate given to {@code setForwardTo}, or {@code null}
   * @param otlpHttp builds the OTLP/HTTP delegate for {@code setForwardEndpoint}
   * @param snapshot copies a batch inside {@code export()} for later forwarding
   * @param meterProvider where the OTLP/HTTP delegate publishes its own metrics; {@code null} for
   *     none
   */
  public <T> ForwardSettings<T> build(
      Signal signal,
      ForwardDelegate<T> forwardTo,
      ForwardEndpoint.DelegateFactory<T> otlpHttp,
      UnaryOperator<Collection<T>> snapshot,
      MeterProvider meterProvider) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("forwardTimeout must be positive, but was " + timeout);
    }
    if (maxInFlight <= 0) {
      throw new IllegalArgumentException("forwardMaxInFlight must be > 0, but was " + maxInFlight);
    }
    if (catchUpRate <= 0) {
      throw new IllegalArgumentException(
          "forwardCatchUpRate must be > 0 items per second, but was " + catchUpRate);
    }
    boolean catchUpOn = catchUpOn(catchUp, BacklogReader.isAvailable());
    if (endpoint == null) {
      if (!headers.isEmpty()) {
        throw new IllegalArgumentException(
            "forwardHeaders " + headers.keySet() + " are set, but forwardEndpoint is not");
      }
      if (forwardTo == null) {
        return null;
      }
      return new ForwardSettings<>(
          forwardTo.toString(),
          () -> forwardTo,
          timeout,
          maxInFlight,
          circuitBreaker,
          snapshot,
          catchUpOn,
          catchUpRate);
    }
    if (forwardTo != null) {
      throw new IllegalArgumentException(
          "forwardTo and forwardEndpoint are both set; forward to one of them");
    }
    String url = ForwardEndpoint.resolve(endpoint, signal);
    ForwardEndpoint.requireExporterClass(signal, ForwardSettingsBuilder.class.getClassLoader());
    Map<String, String> headersCopy = headers;
    Duration timeoutCopy = timeout;
    return new ForwardSettings<>(
        url,
        () -> otlpHttp.create(url, headersCopy, timeoutCopy, meterProvider),
        timeout,
        maxInFlight,
        circuitBreaker,
        snapshot,
        catchUpOn,
        catchUpRate);
  }

  /**
   * Whether catch-up runs: as set, or, when not set, whenever the files can be read back.
   *
   * @param catchUp {@code null} when not set
   * @param readable whether the reader's libraries are on the class path
   * @throws IllegalArgumentException when catch-up is asked for and the files cannot be read back
   */
  static boolean catchUpOn(Boolean catchUp, boolean readable) {
    if (Boolean.TRUE.equals(catchUp) && !readable) {
      throw new IllegalArgumentException(
          "forwardCatchUp needs com.google.protobuf:protobuf-java and"
              + " io.opentelemetry.proto:opentelemetry-proto on the class path to read the files"
              + " back; add them, or setForwardCatchUp(false)");
    }
    return catchUp == null ? readable : catchUp;
  }
}
