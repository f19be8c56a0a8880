package io.github.otlpfile.internal.autoconfigure;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;

/**
 * The application that {@link JavaagentExtensionTest} runs under the OpenTelemetry Java agent: it
 * knows only the OpenTelemetry API, emits one span, one counter and one log record, and exits; the
 * agent's SDK (with the otlp-file exporters loaded as an extension) writes them on shutdown.
 */
public final class JavaagentTestApp {
  private JavaagentTestApp() {}

  public static void main(String[] args) {
    OpenTelemetry openTelemetry = GlobalOpenTelemetry.get();
    Span span = openTelemetry.getTracer("agent-test").spanBuilder("agent-span").startSpan();
    span.end();
    openTelemetry.getMeter("agent-test").counterBuilder("agent.counter").build().add(3);
    openTelemetry.getLogsBridge().get("agent-test").logRecordBuilder().setBody("agent-log").emit();
    System.out.println("emitted by " + openTelemetry.getClass().getName());
  }
}
