/*
 * Copyright The otlp-file-exporter Authors
 * SPDX-License-Identifier: Apache-2.0
 */

package io.github.otlpfile;

/**
 * The state of the circuit breaker that guards forwarding to a remote delegate exporter.
 *
 * <p>The only transitions are {@code CLOSED → OPEN} (after {@link
 * CircuitBreakerConfig#getFailureThreshold()} consecutive failures), {@code OPEN → HALF_OPEN} (when
 * a call arrives once {@link CircuitBreakerConfig#getOpenDuration()} has elapsed), {@code HALF_OPEN
 * → CLOSED} (the probe call succeeded) and {@code HALF_OPEN → OPEN} (the probe call failed).
 */
public enum CircuitState {
  /** Calls go through; consecutive failures are counted. */
  CLOSED,
  /** Calls are skipped, because the delegate failed too often; the data stays in the files. */
  OPEN,
  /**
   * The open duration has elapsed and exactly one probe call is let through to test the delegate.
   */
  HALF_OPEN
}
