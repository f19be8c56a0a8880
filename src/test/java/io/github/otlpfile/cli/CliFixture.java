package io.github.otlpfile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.Compression;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OtlpFileLogRecordExporter;
import io.github.otlpfile.OtlpFileMetricExporter;
import io.github.otlpfile.OtlpFileSpanExporter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real files for the command's tests: the OpenTelemetry SDK writing through the exporters, and a
 * way to run the command in-process with its output captured.
 */
final class CliFixture {
  /** An attribute value a terminal would act on: ANSI color, bell, a bidi override, CR LF. */
  static final String HOSTILE = "evil\u001b[31mred\u001b[0m\u0007bell\u202eRTL\r\nnext";

  static final int SPANS = 5;
  static final int TRACES = 2;
  static final int LOG_RECORDS = 3;

  private CliFixture() {}

  /** The output of one run of the command. */
  static final class Result {
    final int status;
    final String out;
    final String err;

    Result(int status, String out, String err) {
      this.status = status;
      this.out = out;
      this.err = err;
    }

    @Override
    public String toString() {
      return "status " + status + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  /** The command running on a thread of its own, its output collected as it is printed. */
  static final class Running {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final AtomicInteger status = new AtomicInteger(-1);
    private final Thread thread;

    private Running(String... args) {
      thread =
          new Thread(
              () ->
                  status.set(
                      OtlpFileCommand.execute(
                          new PrintWriter(out, true), new PrintWriter(err, true), args)),
              "otlp-file-" + args[0]);
      thread.setDaemon(true);
      thread.start();
    }

    String out() {
      return out.toString();
    }

    String err() {
      return err.toString();
    }

    boolean isAlive() {
      return thread.isAlive();
    }

    /**
     * Interrupts the command, as Ctrl-C would, and waits up to 10 s for it to end.
     *
     * @return its exit status, -1 if it has not ended
     */
    int stop() throws InterruptedException {
      thread.interrupt();
      thread.join(10_000);
      return status.get();
    }
  }

  /** Starts the command with {@code args} on a thread of its own. */
  static Running start(String... args) {
    return new Running(args);
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = OtlpFileCommand.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(status, out.toString(), err.toString());
  }

  /**
   * Writes into {@code dir}, through the real SDK and the exporters: two traces of {@value #SPANS}
   * spans in all (one with an error and a hostile attribute value), {@value #LOG_RECORDS} log
   * records (two in a span), and metric points of a counter and a histogram.
   */
  static void write(Path dir, OtlpFileFormat format, boolean gzip) {
    Compression compression = gzip ? Compression.GZIP : Compression.NONE;
    Resource resource =
        Resource.getDefault()
            .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "shop")));
    OtlpFileSpanExporter spans =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setFormat(format)
            .setCompression(compression)
            .build();
    OtlpFileLogRecordExporter logs =
        OtlpFileLogRecordExporter.builder()
            .setDirectory(dir)
            .setFormat(format)
            .setCompression(compression)
            .build();
    OtlpFileMetricExporter metrics =
        OtlpFileMetricExporter.builder()
            .setDirectory(dir)
            .setFormat(format)
            .setCompression(compression)
            .build();
    SdkTracerProvider tracerProvider =
        SdkTracerProvider.builder()
            .setResource(resource)
            .addSpanProcessor(SimpleSpanProcessor.create(spans))
            .build();
    SdkLoggerProvider loggerProvider =
        SdkLoggerProvider.builder()
            .setResource(resource)
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(logs))
            .build();
    SdkMeterProvider meterProvider =
        SdkMeterProvider.builder()
            .setResource(resource)
            .registerMetricReader(
                PeriodicMetricReader.builder(metrics).setInterval(Duration.ofHours(1)).build())
            .build();

    Tracer tracer = tracerProvider.get("shop-scope", "1.0");
    Logger logger = loggerProvider.get("shop-scope");
    Span checkout =
        tracer
            .spanBuilder("POST /checkout")
            .setSpanKind(SpanKind.SERVER)
            .setAttribute("http.route", "/checkout")
            .startSpan();
    try (Scope ignored = checkout.makeCurrent()) {
      Span db = tracer.spanBuilder("SELECT cart").setSpanKind(SpanKind.CLIENT).startSpan();
      try (Scope inner = db.makeCurrent()) {
        tracer.spanBuilder("connect").startSpan().end();
      }
      db.end();
      logger.logRecordBuilder().setSeverity(Severity.INFO).setBody("cart loaded").emit();
    } finally {
      checkout.end();
    }
    Span login =
        tracer
            .spanBuilder("POST /login")
            .setSpanKind(SpanKind.SERVER)
            .setAttribute("user.agent", HOSTILE)
            .startSpan();
    try (Scope ignored = login.makeCurrent()) {
      tracer.spanBuilder("check password").startSpan().end();
      logger
          .logRecordBuilder()
          .setSeverity(Severity.ERROR)
          .setBody("login failed")
          .setAttribute(AttributeKey.stringKey("user.agent"), HOSTILE)
          .emit();
    } finally {
      login.setStatus(StatusCode.ERROR, "bad password");
      login.end();
    }
    logger.logRecordBuilder().setSeverity(Severity.WARN).setBody("outside any span").emit();
    meterProvider
        .get("shop-scope")
        .counterBuilder("shop.orders")
        .build()
        .add(3, Attributes.of(AttributeKey.stringKey("region"), "eu"));
    meterProvider.get("shop-scope").histogramBuilder("shop.latency").build().record(0.25);

    // Our exporters first: the simple processors' own flush (CompletableResultCode.ofAll over a
    // set that results leave as they complete, on our writer thread) can otherwise wait forever.
    assertThat(spans.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(logs.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(tracerProvider.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(loggerProvider.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(meterProvider.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
  }
}
