package io.github.otlpfile.receive;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * The application that {@link OtlpFileReceiverJavaagentTest} runs under the OpenTelemetry Java
 * agent: it knows only the API, makes a parent span with {@code args[0]} children and exits; the
 * agent's own OTLP exporter sends them to the receiver.
 */
public final class ReceiverAgentApp {
  private ReceiverAgentApp() {}

  public static void main(String[] args) {
    int children = Integer.parseInt(args[0]);
    Tracer tracer = GlobalOpenTelemetry.getTracer("receiver-agent-test");
    Span parent = tracer.spanBuilder("agent-parent").startSpan();
    try (Scope ignored = parent.makeCurrent()) {
      for (int i = 0; i < children; i++) {
        tracer.spanBuilder("agent-child").setAttribute("i", i).startSpan().end();
      }
    } finally {
      parent.end();
    }
    System.out.println("emitted by " + GlobalOpenTelemetry.get().getClass().getName());
  }
}
