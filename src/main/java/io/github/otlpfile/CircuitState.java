package io.github.otlpfile;

/** The state of the circuit breaker in front of a forwarding delegate. */
public enum CircuitState {
  CLOSED,
  OPEN,
  HALF_OPEN
}
