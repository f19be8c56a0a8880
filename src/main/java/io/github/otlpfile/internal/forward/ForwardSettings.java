package io.github.otlpfile.internal.forward;

import static java.util.Objects.requireNonNull;

import io.github.otlpfile.CircuitBreakerConfig;
import io.github.otlpfile.OtlpFileExporterBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The validated forwarding settings of one exporter, handed from its builder to the {@link
 * Forwarder}. The delegate is created only when the forwarder is, so that a builder that fails
 * later creates no HTTP client.
 *
 * <p>Immutable.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ForwardSettings<T> {
  final String target;
  final Supplier<ForwardDelegate<T>> delegateFactory;
  final Duration timeout;
  final int maxInFlight;
  final CircuitBreakerConfig circuitBreaker;
  final UnaryOperator<Collection<T>> snapshot;
  final boolean catchUp;
  final double catchUpRate;

  /**
   * @param target names the destination in logs and {@code toString()}; never holds secrets
   * @param timeout how long a batch may take before it counts as failed
   * @param maxInFlight how many batches may be with the delegate at once
   * @param snapshot copies a batch inside {@code export()} into a form that stays valid after
   *     {@code export()} returns
   */
  public ForwardSettings(
      String target,
      Supplier<ForwardDelegate<T>> delegateFactory,
      Duration timeout,
      int maxInFlight,
      CircuitBreakerConfig circuitBreaker,
      UnaryOperator<Collection<T>> snapshot) {
    this(
        target,
        delegateFactory,
        timeout,
        maxInFlight,
        circuitBreaker,
        snapshot,
        false,
        OtlpFileExporterBuilder.DEFAULT_FORWARD_CATCH_UP_RATE);
  }

  /**
   * @param catchUp whether what live forwarding missed is sent from the files
   * @param catchUpRate items per second catch-up sends at most
   */
  public ForwardSettings(
      String target,
      Supplier<ForwardDelegate<T>> delegateFactory,
      Duration timeout,
      int maxInFlight,
      CircuitBreakerConfig circuitBreaker,
      UnaryOperator<Collection<T>> snapshot,
      boolean catchUp,
      double catchUpRate) {
    this.catchUp = catchUp;
    this.catchUpRate = catchUpRate;
    this.target = requireNonNull(target, "target");
    this.delegateFactory = requireNonNull(delegateFactory, "delegateFactory");
    this.timeout = requireNonNull(timeout, "timeout");
    this.maxInFlight = maxInFlight;
    this.circuitBreaker = requireNonNull(circuitBreaker, "circuitBreaker");
    this.snapshot = requireNonNull(snapshot, "snapshot");
  }

  /**
   * Copies the collection, not its items: enough for immutable items, whose collection the SDK's
   * batch processors clear and refill once {@code export()} has completed.
   */
  public static <T> Collection<T> copyOfCollection(Collection<T> items) {
    return Collections.unmodifiableList(new ArrayList<>(items));
  }

  @Override
  public String toString() {
    return "forwardTo="
        + target
        + ", forwardTimeout="
        + timeout
        + ", forwardMaxInFlight="
        + maxInFlight
        + ", circuitBreaker="
        + circuitBreaker
        + ", forwardCatchUp="
        + catchUp
        + ", forwardCatchUpRate="
        + (long) catchUpRate;
  }
}
