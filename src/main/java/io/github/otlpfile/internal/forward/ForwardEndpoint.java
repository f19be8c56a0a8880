package io.github.otlpfile.internal.forward;

import io.github.otlpfile.internal.Signal;
import io.opentelemetry.api.metrics.MeterProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the URL given to {@code setForwardEndpoint} into the URL of one signal, and checks that the
 * OTLP/HTTP exporters are on the class path. Refers to none of their classes, so it loads without
 * them.
 *
 * <p>The URL is a base URL, as in {@code OTEL_EXPORTER_OTLP_ENDPOINT}: the signal's path ({@code
 * /v1/traces}, {@code /v1/metrics}, {@code /v1/logs}) is appended to its path. A URL whose path
 * already ends with the signal's own path is used as it is, so the full URL of one signal works
 * too.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ForwardEndpoint {
  /** The artifact that holds the OTLP/HTTP exporters. */
  public static final String OTLP_EXPORTER_ARTIFACT =
      "io.opentelemetry:opentelemetry-exporter-otlp";

  private ForwardEndpoint() {}

  /**
   * Creates the OTLP/HTTP delegate of one signal; implemented by lambdas that call {@link
   * OtlpHttpForwarding}, so that class is loaded only when called.
   */
  public interface DelegateFactory<T> {
    ForwardDelegate<T> create(
        String url, Map<String, String> headers, Duration timeout, MeterProvider meterProvider);
  }

  /** The OTLP/HTTP exporter class {@code setForwardEndpoint} builds for {@code signal}. */
  public static String exporterClassName(Signal signal) {
    switch (signal) {
      case TRACES:
        return "io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter";
      case METRICS:
        return "io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter";
      default:
        return "io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter";
    }
  }

  /**
   * Throws {@link IllegalArgumentException} naming the missing artifact unless the OTLP/HTTP
   * exporter of {@code signal} can be loaded by {@code loader}.
   */
  public static void requireExporterClass(Signal signal, ClassLoader loader) {
    String className = exporterClassName(signal);
    try {
      Class.forName(className, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException(
          "forwardEndpoint needs "
              + OTLP_EXPORTER_ARTIFACT
              + " on the class path ("
              + className
              + " was not found); add that dependency, or pass an exporter to setForwardTo",
          e);
    }
  }

  /** The path OTLP/HTTP uses for {@code signal}, for example {@code /v1/traces}. */
  public static String signalPath(Signal signal) {
    return "/v1/" + signal.getDirectoryName();
  }

  /**
   * Returns the URL {@code signal} is sent to.
   *
   * @throws IllegalArgumentException if {@code url} is not an absolute http or https URL without
   *     user info, query or fragment, or if its path ends with another signal's path
   */
  public static String resolve(String url, Signal signal) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "forwardEndpoint must be an http or https URL, but was " + url + ": " + e.getMessage(),
          e);
    }
    if (uri.getRawUserInfo() != null) {
      // Do not echo the URL: the user info is a credential.
      throw new IllegalArgumentException(
          "forwardEndpoint must not contain user info; pass credentials with setForwardHeaders");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "forwardEndpoint must be an http or https URL, but was " + url);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("forwardEndpoint must name a host, but was " + url);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "forwardEndpoint must not have a query or fragment, but was " + url);
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String own = signalPath(signal);
    if (path.endsWith(own)) {
      return url;
    }
    for (Signal other : Signal.values()) {
      if (other != signal && path.endsWith(signalPath(other))) {
        throw new IllegalArgumentException(
            "forwardEndpoint "
                + url
                + " ends with "
                + signalPath(other)
                + ", the path of "
                + other.getDirectoryName()
                + "; give the base URL (for example http://localhost:4318) and "
                + own
                + " is appended for "
                + signal.getDirectoryName());
      }
    }
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    return base + own;
  }
}
