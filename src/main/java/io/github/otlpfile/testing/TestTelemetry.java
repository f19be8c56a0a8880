package io.github.otlpfile.testing;

import io.github.otlpfile.Durability;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OtlpFileLogRecordExporter;
import io.github.otlpfile.OtlpFileMetricExporter;
import io.github.otlpfile.OtlpFileSpanExporter;
import io.github.otlpfile.receive.OtlpFileReceiver;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.SdkLoggerProviderBuilder;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The telemetry of one test: its directory, and the SDK and receiver made for it on first use.
 * Closed when the test ends; after that nothing of it writes and any call fails.
 *
 * <p>Thread-safe: all state is guarded by {@code lock}.
 */
final class TestTelemetry {
  private static final Logger logger = Logger.getLogger(TestTelemetry.class.getName());
  // Ports any receiver of this JVM has had: a new receiver never takes one of them, so a sender
  // still sending to an earlier test's (closed) receiver can never reach a later test's.
  private static final Set<Integer> USED_PORTS = ConcurrentHashMap.newKeySet();
  private static final int PORT_ATTEMPTS = 20;
  private static final long FLUSH_TIMEOUT_SECONDS = 10;
  private static final boolean GRPC_AVAILABLE =
      isPresent("io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder");

  final String testName;
  // Where the test's files go: the name chosen at its start, or a variant of it if a directory of
  // that name is already there (left by an earlier run). Set before created becomes true.
  volatile Path directory;
  private final OtlpFileExtensionBuilder settings;
  private final Supplier<Path> root; // creates the extension's folder on first use
  // The binding of the test's thread before the test, restored after it; that thread only.
  TestTelemetry previousBinding;

  private final Object lock = new Object();
  // Guarded by lock.
  private boolean created;
  private boolean closed;
  private OpenTelemetrySdk sdk;
  private OnDemandMetricReader metricReader;
  private OtlpFileSpanExporter spanExporter;
  private OtlpFileLogRecordExporter logExporter;
  private OtlpFileReceiver receiver;
  // Spans and log records ended through the SDK, and how many of them the last flush covered: a
  // flush with nothing new does not wait for the writer thread.
  private final AtomicLong ended = new AtomicLong();
  private volatile long flushed;
  // What clear() left behind: per file (its name without .gz), the last position cleared.
  private final Map<String, Long> cleared = new HashMap<>();

  TestTelemetry(
      String testName, Path directory, OtlpFileExtensionBuilder settings, Supplier<Path> root) {
    this.testName = testName;
    this.directory = directory;
    this.settings = settings;
    this.root = root;
  }

  /** The directory, made on first use. */
  Path directory() {
    synchronized (lock) {
      checkOpen();
      createDirectory();
      return directory;
    }
  }

  private void createDirectory() {
    if (created) {
      return;
    }
    // The extension's folder can be removed once empty while another test ends: make it again.
    Path wanted = directory;
    for (int attempt = 0, variant = 1; ; attempt++) {
      try {
        root.get();
        Files.createDirectory(directory);
        created = true;
        return;
      } catch (FileAlreadyExistsException e) {
        // Never share a directory with files of an earlier run.
        directory = wanted.resolveSibling(wanted.getFileName() + "." + ++variant);
      } catch (NoSuchFileException e) {
        if (attempt >= 3) {
          throw new UncheckedIOException("cannot create the test's directory " + directory, e);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the test's directory " + directory, e);
      }
    }
  }

  boolean isCreated() {
    synchronized (lock) {
      return created;
    }
  }

  OpenTelemetrySdk openTelemetry() {
    synchronized (lock) {
      checkOpen();
      if (sdk == null) {
        createDirectory();
        sdk = buildSdk();
      }
      return sdk;
    }
  }

  // Durability.NONE: a test needs its files readable, not safe from a power cut, and an fsync per
  // closed file would cost each test tens of milliseconds.
  private OpenTelemetrySdk buildSdk() {
    OtlpFileFormat format = settings.format;
    OtlpFileSpanExporter spans =
        OtlpFileSpanExporter.builder()
            .setDirectory(directory)
            .setFormat(format)
            .setDurability(Durability.NONE)
            .build();
    OtlpFileMetricExporter metrics =
        OtlpFileMetricExporter.builder()
            .setDirectory(directory)
            .setFormat(format)
            .setDurability(Durability.NONE)
            .build();
    OtlpFileLogRecordExporter logs =
        OtlpFileLogRecordExporter.builder()
            .setDirectory(directory)
            .setFormat(format)
            .setDurability(Durability.NONE)
            .build();
    SdkTracerProviderBuilder tracing = SdkTracerProvider.builder().setResource(settings.resource);
    for (Supplier<? extends SpanProcessor> processor : settings.spanProcessors) {
      tracing.addSpanProcessor(processor.get());
    }
    // Simple processors export as each span or record ends, so a read right after sees it; our
    // exporters do no I/O on the caller's thread, so this costs the code under test little.
    tracing.addSpanProcessor(SimpleSpanProcessor.create(spans));
    // After the exporting processor: once a span is counted, its export has been handed over.
    tracing.addSpanProcessor(new EndCounter(ended));
    SdkLoggerProviderBuilder logging = SdkLoggerProvider.builder().setResource(settings.resource);
    for (Supplier<? extends LogRecordProcessor> processor : settings.logRecordProcessors) {
      logging.addLogRecordProcessor(processor.get());
    }
    logging.addLogRecordProcessor(SimpleLogRecordProcessor.create(logs));
    logging.addLogRecordProcessor(new EndCounter(ended));
    spanExporter = spans;
    logExporter = logs;
    metricReader = new OnDemandMetricReader(metrics);
    SdkMeterProvider meters =
        SdkMeterProvider.builder()
            .setResource(settings.resource)
            .registerMetricReader(metricReader)
            .build();
    return OpenTelemetrySdk.builder()
        .setTracerProvider(tracing.build())
        .setMeterProvider(meters)
        .setLoggerProvider(logging.build())
        .setPropagators(
            ContextPropagators.create(
                TextMapPropagator.composite(
                    W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
        .build();
  }

  /**
   * Writes everything this test's SDK has ended, and collects and writes its metrics. Flushes the
   * exporters themselves, not the SDK's processors: a simple processor's {@code forceFlush()} waits
   * on its set of pending exports, which the writer thread empties as it writes, and a set that
   * shrinks while the SDK counts it leaves that wait unfinished.
   */
  void flush() {
    OpenTelemetrySdk current;
    OnDemandMetricReader reader;
    OtlpFileSpanExporter spans;
    OtlpFileLogRecordExporter logs;
    synchronized (lock) {
      checkOpen();
      current = sdk;
      reader = metricReader;
      spans = spanExporter;
      logs = logExporter;
    }
    if (current == null) {
      return;
    }
    long endedNow = ended.get();
    List<CompletableResultCode> results = new ArrayList<>();
    results.add(reader.forceFlush()); // exports only what changed
    if (endedNow != flushed) {
      // A span or record ended is already exported (simple processors export in onEnd), so the
      // exporter's flush, which completes once all exported before it is written, covers it.
      results.add(spans.flush());
      results.add(logs.flush());
    }
    CompletableResultCode result = CompletableResultCode.ofAll(results);
    result.join(FLUSH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!result.isDone()) {
      throw new AssertionError(
          "the test's SDK did not write its telemetry into "
              + directory
              + " within "
              + FLUSH_TIMEOUT_SECONDS
              + " s");
    }
    if (!result.isSuccess()) {
      throw new AssertionError(
          "the test's SDK could not write its telemetry into "
              + directory
              + " (an export failed; the exporter's log says why)");
    }
    flushed = endedNow;
  }

  /** The receiver, started on first use. */
  OtlpFileReceiver receiver() {
    synchronized (lock) {
      checkOpen();
      if (receiver == null) {
        createDirectory();
        receiver = startReceiver();
      }
      return receiver;
    }
  }

  static boolean grpcAvailable() {
    return GRPC_AVAILABLE;
  }

  private OtlpFileReceiver startReceiver() {
    for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      OtlpFileReceiver started =
          OtlpFileReceiver.builder()
              .setDirectory(directory)
              .setFormat(settings.format)
              .setDurability(Durability.NONE)
              .setHttpPort(0)
              .setGrpcPort(GRPC_AVAILABLE ? 0 : -1)
              .build()
              .start();
      List<Integer> ports = new ArrayList<>();
      ports.add(port(started.getHttpEndpoint()));
      if (GRPC_AVAILABLE) {
        ports.add(port(started.getGrpcEndpoint()));
      }
      boolean fresh = true;
      for (Integer port : ports) {
        fresh &= USED_PORTS.add(port);
      }
      if (fresh) {
        return started;
      }
      started.close();
    }
    throw new IllegalStateException(
        "no port that an earlier test's receiver has not had after " + PORT_ATTEMPTS + " attempts");
  }

  private static int port(String endpoint) {
    return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
  }

  /** The positions that {@link #clear} left behind, for reads to skip. */
  Map<String, Long> clearedPositions() {
    synchronized (lock) {
      return new HashMap<>(cleared);
    }
  }

  /**
   * Leaves out of later reads everything written so far. The SDK's instruments keep their state: a
   * cumulative metric's next export still carries its total since the test began.
   */
  void clear() {
    flush();
    Map<String, Long> positions = DirectoryReads.lastPositions(directory);
    synchronized (lock) {
      checkOpen();
      cleared.putAll(positions);
    }
  }

  /**
   * Closes this test: from now on nothing of it can be written or read. Shuts the SDK down (its
   * last writes are done when this returns) and returns the receiver, still to be shut down, or
   * null if there is none. A slow SDK shutdown is logged.
   */
  OtlpFileReceiver close() {
    OpenTelemetrySdk currentSdk;
    OtlpFileReceiver currentReceiver;
    OtlpFileSpanExporter currentSpans;
    OtlpFileLogRecordExporter currentLogs;
    synchronized (lock) {
      if (closed) {
        return null;
      }
      closed = true;
      currentSdk = sdk;
      currentReceiver = receiver;
      currentSpans = spanExporter;
      currentLogs = logExporter;
    }
    if (currentSdk != null) {
      // Written first, so that the processors' shutdown finds no export pending (see flush()).
      CompletableResultCode.ofAll(Arrays.asList(currentSpans.flush(), currentLogs.flush()))
          .join(FLUSH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    if (currentSdk != null
        && !currentSdk.shutdown().join(FLUSH_TIMEOUT_SECONDS, TimeUnit.SECONDS).isSuccess()) {
      logger.log(
          Level.WARNING,
          "The SDK of " + testName + " did not write all of its telemetry within 10 s of its end");
    }
    return currentReceiver;
  }

  boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(
          "the test " + testName + " has ended; its telemetry can no longer be written or read");
    }
  }

  private static boolean isPresent(String className) {
    try {
      Class.forName(className, false, TestTelemetry.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "TestTelemetry{" + testName + ", " + directory + "}";
  }
}
