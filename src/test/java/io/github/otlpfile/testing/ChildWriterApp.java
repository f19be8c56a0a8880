package io.github.otlpfile.testing;

import io.github.otlpfile.OtlpFileSpanExporter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.nio.file.Paths;
import java.time.Duration;

/**
 * A child process that writes spans with this library's exporter into the directory {@code
 * args[0]}: a parent and {@code args[1]} children, through a batch processor, then exits.
 */
public final class ChildWriterApp {
  private ChildWriterApp() {}

  public static void main(String[] args) {
    int children = Integer.parseInt(args[1]);
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(Resource.builder().put("service.name", "child-writer").build()))
            .addSpanProcessor(
                BatchSpanProcessor.builder(
                        OtlpFileSpanExporter.builder().setDirectory(Paths.get(args[0])).build())
                    .setScheduleDelay(Duration.ofMillis(50))
                    .build())
            .build()) {
      Tracer tracer = provider.get("child-writer");
      Span parent = tracer.spanBuilder("child-parent").startSpan();
      try (Scope ignored = parent.makeCurrent()) {
        for (int i = 0; i < children; i++) {
          tracer.spanBuilder("child-" + i).setAttribute("i", i).startSpan().end();
        }
      } finally {
        parent.end();
      }
    }
    System.out.println("written");
  }
}
