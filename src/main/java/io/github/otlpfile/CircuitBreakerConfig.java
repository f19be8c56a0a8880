/*
 * Copyright The otlp-file-exporter Authors
 * SPDX-License-Identifier: Apache-2.0
 */

package io.github.otlpfile;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Configuration of the circuit breaker in front of a forwarding delegate exporter: how many
 * consecutive failures open it, and how long it stays open before one probe call is let through.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class CircuitBreakerConfig {

  /** The default number of consecutive failures that opens the breaker: {@value}. */
  public static final int DEFAULT_FAILURE_THRESHOLD = 5;

  /** The default time the breaker stays open before it lets a probe call through: 30 seconds. */
  public static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(30);

  private static final CircuitBreakerConfig DEFAULT = builder().build();

  private final int failureThreshold;
  private final Duration openDuration;

  private CircuitBreakerConfig(int failureThreshold, Duration openDuration) {
    this.failureThreshold = failureThreshold;
    this.openDuration = openDuration;
  }

  /** Returns a new {@link Builder} with every setting at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the configuration with every setting at its default: {@link #DEFAULT_FAILURE_THRESHOLD}
   * and {@link #DEFAULT_OPEN_DURATION}.
   */
  public static CircuitBreakerConfig getDefault() {
    return DEFAULT;
  }

  /** Returns the number of consecutive failures that opens the breaker; always {@code > 0}. */
  public int getFailureThreshold() {
    return failureThreshold;
  }

  /** Returns how long the breaker stays open before it lets one probe call through; positive. */
  public Duration getOpenDuration() {
    return openDuration;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof CircuitBreakerConfig)) {
      return false;
    }
    CircuitBreakerConfig that = (CircuitBreakerConfig) o;
    return failureThreshold == that.failureThreshold && openDuration.equals(that.openDuration);
  }

  @Override
  public int hashCode() {
    return 31 * failureThreshold + openDuration.hashCode();
  }

  @Override
  public String toString() {
    return "CircuitBreakerConfig{failureThreshold="
        + failureThreshold
        + ", openDuration="
        + openDuration
        + '}';
  }

  /** Builder of {@link CircuitBreakerConfig}. Not thread-safe. */
  public static final class Builder {

    private int failureThreshold = DEFAULT_FAILURE_THRESHOLD;
    private Duration openDuration = DEFAULT_OPEN_DURATION;

    private Builder() {}

    /**
     * Sets the number of consecutive failed calls that opens the breaker; must be {@code > 0}. If
     * unset, defaults to {@value CircuitBreakerConfig#DEFAULT_FAILURE_THRESHOLD}.
     */
    public Builder setFailureThreshold(int failureThreshold) {
      this.failureThreshold = failureThreshold;
      return this;
    }

    /**
     * Sets how long the breaker stays open before it lets one probe call through; must be positive.
     * If unset, defaults to 30 seconds.
     */
    public Builder setOpenDuration(Duration openDuration) {
      requireNonNull(openDuration, "openDuration");
      this.openDuration = openDuration;
      return this;
    }

    /**
     * Returns a new {@link CircuitBreakerConfig} with the settings of this builder.
     *
     * @throws IllegalArgumentException if the failure threshold is not {@code > 0} or the open
     *     duration is not positive
     */
    public CircuitBreakerConfig build() {
      if (failureThreshold <= 0) {
        throw new IllegalArgumentException(
            "failureThreshold must be > 0, but was " + failureThreshold);
      }
      if (openDuration.isNegative() || openDuration.isZero()) {
        throw new IllegalArgumentException(
            "openDuration must be positive, but was " + openDuration);
      }
      return new CircuitBreakerConfig(failureThreshold, openDuration);
    }
  }
}
