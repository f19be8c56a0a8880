package io.github.otlpfile.cli;

import io.github.otlpfile.ExporterStats;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OtlpFileLogRecordExporter;
import io.github.otlpfile.OtlpFileMetricExporter;
import io.github.otlpfile.OtlpFileSpanExporter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Drives a small workload through the real OpenTelemetry SDK into the three file exporters and
 * prints what was written.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Writes spans, metrics and logs through the OpenTelemetry SDK into OTLP files.")
final class DemoCommand implements Callable<Integer> {
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<Long> STATUS =
      AttributeKey.longKey("http.response.status_code");
  // Large enough that the SDK's own processors keep up with a tight loop of requests.
  private static final int SDK_QUEUE_SIZE = 1 << 17;
  private static final String[] ROUTES = {"/orders", "/orders/{id}", "/cart", "/login"};

  @Spec CommandSpec spec;

  @Option(
      names = {"-d", "--directory"},
      description = "Where to write (default: ${DEFAULT-VALUE}).",
      defaultValue = "otlp-files")
  Path directory = Paths.get("otlp-files");

  @Option(
      names = {"-f", "--format"},
      description = "JSON_LINES or PROTOBUF (default: ${DEFAULT-VALUE}).",
      defaultValue = "JSON_LINES")
  OtlpFileFormat format = OtlpFileFormat.JSON_LINES;

  @Option(
      names = {"-n", "--requests"},
      description =
          "Simulated requests; each makes 3 spans, 1 log record (default: ${DEFAULT-VALUE}).",
      defaultValue = "20000")
  int requests = 20000;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Resource resource =
        Resource.getDefault()
            .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "demo")));
    OtlpFileSpanExporter spans =
        OtlpFileSpanExporter.builder().setDirectory(directory).setFormat(format).build();
    OtlpFileMetricExporter metrics =
        OtlpFileMetricExporter.builder().setDirectory(directory).setFormat(format).build();
    OtlpFileLogRecordExporter logs =
        OtlpFileLogRecordExporter.builder().setDirectory(directory).setFormat(format).build();
    SdkTracerProvider tracerProvider =
        SdkTracerProvider.builder()
            .setResource(resource)
            .addSpanProcessor(
                BatchSpanProcessor.builder(spans).setMaxQueueSize(SDK_QUEUE_SIZE).build())
            .build();
    SdkMeterProvider meterProvider =
        SdkMeterProvider.builder()
            .setResource(resource)
            .registerMetricReader(
                PeriodicMetricReader.builder(metrics).setInterval(Duration.ofMillis(200)).build())
            .build();
    SdkLoggerProvider loggerProvider =
        SdkLoggerProvider.builder()
            .setResource(resource)
            .addLogRecordProcessor(
                BatchLogRecordProcessor.builder(logs).setMaxQueueSize(SDK_QUEUE_SIZE).build())
            .build();

    long start = System.nanoTime();
    Tracer tracer = tracerProvider.get("otlp-file-demo");
    Logger logger = loggerProvider.get("otlp-file-demo");
    LongCounter requestCount =
        meterProvider.get("otlp-file-demo").counterBuilder("demo.requests").build();
    DoubleHistogram latency =
        meterProvider
            .get("otlp-file-demo")
            .histogramBuilder("demo.request.duration")
            .setUnit("s")
            .build();
    for (int i = 0; i < requests; i++) {
      simulateRequest(i, tracer, logger, requestCount, latency);
    }
    tracerProvider.shutdown().join(60, TimeUnit.SECONDS);
    meterProvider.shutdown().join(60, TimeUnit.SECONDS);
    loggerProvider.shutdown().join(60, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;

    out.printf(
        Locale.ROOT,
        "Wrote %s files to %s in %.2f s%n",
        format,
        directory.toAbsolutePath(),
        seconds);
    out.printf(
        Locale.ROOT,
        "%-8s %6s %10s %12s %12s %8s%n",
        "signal",
        "files",
        "items",
        "bytes",
        "items/s",
        "dropped");
    int failures = 0;
    failures += row(out, "traces", spans.getStats(), seconds);
    failures += row(out, "metrics", metrics.getStats(), seconds);
    failures += row(out, "logs", logs.getStats(), seconds);
    out.flush();
    return failures == 0 ? 0 : 1;
  }

  private static void simulateRequest(
      int i, Tracer tracer, Logger logger, LongCounter requestCount, DoubleHistogram latency) {
    String route = ROUTES[i % ROUTES.length];
    long status = i % 50 == 0 ? 500 : 200;
    Span server =
        tracer
            .spanBuilder("GET " + route)
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(ROUTE, route)
            .setAttribute(STATUS, status)
            .startSpan();
    try (Scope ignored = server.makeCurrent()) {
      tracer.spanBuilder("SELECT orders").setSpanKind(SpanKind.CLIENT).startSpan().end();
      Span render = tracer.spanBuilder("render").startSpan();
      render.addEvent("template.loaded");
      render.end();
      logger
          .logRecordBuilder()
          .setSeverity(status == 500 ? Severity.ERROR : Severity.INFO)
          .setBody("handled " + route + " with " + status)
          .setAttribute(ROUTE, route)
          .emit();
    } finally {
      server.end();
    }
    Attributes attributes = Attributes.of(ROUTE, route, STATUS, status);
    requestCount.add(1, attributes);
    latency.record((i % 100) / 1000.0, attributes);
  }

  private static int row(PrintWriter out, String signal, ExporterStats stats, double seconds) {
    out.printf(
        Locale.ROOT,
        "%-8s %6d %10d %12d %12.0f %8d%n",
        signal,
        stats.getFilesCreated(),
        stats.getExportedItems(),
        stats.getBytesWritten(),
        stats.getExportedItems() / seconds,
        stats.getDroppedItems());
    return stats.getFailedItems() > 0 ? 1 : 0;
  }
}
