package io.github.otlpfile.testing;

import static java.util.Objects.requireNonNull;

import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.receive.OtlpFileReceiver;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.assertj.TracesAssert;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * A JUnit 5 extension that captures each test's telemetry in OTLP files of its own, from this JVM
 * (through {@link #getOpenTelemetry()}, an SDK whose exporters are this library's) and from other
 * processes (writing into {@link #getDirectory()}, or sending OTLP to {@link #getOtlpEndpoint()}),
 * and reads it back with {@link io.github.otlpfile.read.OtlpFileReader} for assertions.
 *
 * <pre>{@code
 * @RegisterExtension static final OtlpFileExtension otel = OtlpFileExtension.create();
 *
 * @Test
 * void placesAnOrder() {
 *   new OrderService(otel.getOpenTelemetry()).place("book");
 *   otel.assertTraces().hasTracesSatisfyingExactly(
 *       trace -> trace.hasSpansSatisfyingExactly(span -> span.hasName("place-order")));
 * }
 * }</pre>
 *
 * <p><b>One test, one directory.</b> Every test (each invocation of a parameterized or repeated
 * test, each test of a {@code @Nested} class) gets a directory, an SDK and a receiver of its own,
 * made on first use and shut down when the test ends, so nothing of one test can reach another:
 * telemetry that arrives late for an earlier test goes to that test's directory (or, sent to its
 * receiver's port, is refused), never to a later test's.
 *
 * <p><b>Which test a call belongs to.</b> Tests can run at once (JUnit's parallel execution) and
 * share one static extension. A call belongs to the test whose thread makes it: the test's own
 * thread (from {@code @BeforeEach} through {@code @AfterEach}) and every thread started from it
 * while the test runs (the binding is inherited by new threads). A thread that no test started (for
 * example a pool made in {@code @BeforeAll}) belongs to the one test running, if exactly one is;
 * otherwise the call fails and says so. A thread started by a test that has ended belongs to no
 * test: its calls fail. The objects the calls return ({@code getOpenTelemetry()}, {@code
 * getDirectory()}, the endpoints) can be passed to any thread and stay the test's.
 *
 * <p><b>When a test fails</b> its directory is kept and its path printed to standard error and
 * published as the report entry {@code otlp-file.directory}; a passed test's directory is removed
 * unless {@link OtlpFileExtensionBuilder#setKeepFiles(boolean)} says to keep it.
 *
 * <p>Needs {@code junit-jupiter-api} and, for {@link #assertTraces()}, {@code
 * opentelemetry-sdk-testing}; {@code getSpans()} and the other reads need the reader's libraries
 * ({@code opentelemetry-proto}, {@code protobuf-java}); the OTLP endpoints need the receiver's
 * (grpc-java for gRPC). Thread-safe.
 */
public final class OtlpFileExtension implements BeforeEachCallback, AfterEachCallback {
  private static final Logger logger = Logger.getLogger(OtlpFileExtension.class.getName());
  private static final int MAX_NAME_CHARS = 100;
  private static final long MIN_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** Short export delays for a child process's SDK, so that its telemetry arrives promptly. */
  static final String EXPORT_DELAY_MILLIS = "100";

  private final OtlpFileExtensionBuilder settings;
  private final Map<String, TestTelemetry> running = new ConcurrentHashMap<>();
  private final InheritableThreadLocal<TestTelemetry> current = new InheritableThreadLocal<>();
  private final AtomicInteger sequence = new AtomicInteger();
  private final Object rootLock = new Object();
  private Path root; // guarded by rootLock
  private boolean temporaryRoot; // guarded by rootLock

  OtlpFileExtension(OtlpFileExtensionBuilder builder) {
    // A copy: the builder may be changed and built again.
    OtlpFileExtensionBuilder copy = new OtlpFileExtensionBuilder();
    copy.format = builder.format;
    copy.resource = builder.resource;
    copy.defaultTimeout = builder.defaultTimeout;
    copy.directory = builder.directory;
    copy.keepFiles = builder.keepFiles;
    copy.spanProcessors.addAll(builder.spanProcessors);
    copy.logRecordProcessors.addAll(builder.logRecordProcessors);
    this.settings = copy;
  }

  /** Returns an extension with the default settings. */
  public static OtlpFileExtension create() {
    return builder().build();
  }

  /** Returns a builder for an extension. */
  public static OtlpFileExtensionBuilder builder() {
    return new OtlpFileExtensionBuilder();
  }

  /**
   * The current test's SDK: traces, metrics and logs, exported by this library's exporters into the
   * test's directory. Spans and log records are exported as they end (simple processors); metrics
   * are collected when the telemetry is read. The same instance for the whole test; shut down when
   * the test ends. Propagates W3C trace context and baggage.
   *
   * @throws IllegalStateException if the calling thread belongs to no running test
   */
  public OpenTelemetrySdk getOpenTelemetry() {
    return test().openTelemetry();
  }

  /**
   * The current test's directory, made on first use, for other writers (such as a child process
   * with this library's exporters) to write into. Traces go into its {@code traces} folder, metrics
   * into {@code metrics}, logs into {@code logs}; every file in it is read.
   *
   * @throws IllegalStateException if the calling thread belongs to no running test
   */
  public Path getDirectory() {
    return test().directory();
  }

  /**
   * Every span in the current test's directory (after writing what the test's SDK has ended), from
   * any writer, in the order of the files; none that {@link #clear()} cleared.
   */
  public List<SpanData> getSpans() {
    TestTelemetry test = test();
    test.flush();
    return spans(test);
  }

  /**
   * Every metric in the current test's directory (after collecting the test's SDK's metrics). Of a
   * cumulative metric, a gauge or a summary, each writer's latest export is returned, as every
   * export repeats the whole state; a delta metric is returned once per export.
   */
  public List<MetricData> getMetrics() {
    TestTelemetry test = test();
    test.flush();
    return metrics(test);
  }

  /** Every log record in the current test's directory, as {@link #getSpans()} does for spans. */
  public List<LogRecordData> getLogRecords() {
    TestTelemetry test = test();
    test.flush();
    return logRecords(test);
  }

  /**
   * The traces in the current test's directory whose root span (a span without a parent) is there:
   * each ordered parent before child and siblings by start time (spans whose parent is missing
   * last), the traces by their root's start time.
   */
  public List<List<SpanData>> getTraces() {
    return Traces.withRoot(getSpans());
  }

  /**
   * The SDK's trace assertions over {@link #getTraces()}, as {@code OpenTelemetryExtension} of
   * {@code opentelemetry-sdk-testing} gives them:
   *
   * <pre>{@code
   * otel.assertTraces().hasTracesSatisfyingExactly(
   *     trace -> trace.hasSpansSatisfyingExactly(
   *         span -> span.hasName("parent").hasNoParent(),
   *         span -> span.hasName("child").hasParent(trace.getSpan(0))));
   * }</pre>
   *
   * <p>Needs {@code io.opentelemetry:opentelemetry-sdk-testing}. To wait for traces of another
   * process first, use {@code TracesAssert.assertThat(otel.awaitTraces(n, timeout))}.
   */
  public TracesAssert assertTraces() {
    return TracesAssert.assertThat(getTraces());
  }

  /** {@link #awaitSpans(int, Duration)} with the default timeout. */
  public List<SpanData> awaitSpans(int count) {
    return awaitSpans(count, settings.defaultTimeout);
  }

  /**
   * Waits until at least {@code count} spans are in the current test's directory, from this JVM or
   * any other writer, and returns them all.
   *
   * @throws AssertionError if fewer arrived within {@code timeout}; the message says how many and
   *     which
   */
  public List<SpanData> awaitSpans(int count, Duration timeout) {
    return await(
        count,
        timeout,
        "spans",
        OtlpFileExtension::spans,
        List::size,
        Describe.listOf(Describe::span));
  }

  /** {@link #awaitMetrics(int, Duration)} with the default timeout. */
  public List<MetricData> awaitMetrics(int count) {
    return awaitMetrics(count, settings.defaultTimeout);
  }

  /**
   * Waits until at least {@code count} metrics (counted as {@link #getMetrics()} returns them) are
   * in the current test's directory, from this JVM or any other writer, and returns them all.
   *
   * @throws AssertionError if fewer arrived within {@code timeout}
   */
  public List<MetricData> awaitMetrics(int count, Duration timeout) {
    return await(
        count,
        timeout,
        "metrics",
        OtlpFileExtension::metrics,
        List::size,
        Describe.listOf(Describe::metric));
  }

  /** {@link #awaitLogRecords(int, Duration)} with the default timeout. */
  public List<LogRecordData> awaitLogRecords(int count) {
    return awaitLogRecords(count, settings.defaultTimeout);
  }

  /**
   * Waits until at least {@code count} log records are in the current test's directory, from this
   * JVM or any other writer, and returns them all.
   *
   * @throws AssertionError if fewer arrived within {@code timeout}
   */
  public List<LogRecordData> awaitLogRecords(int count, Duration timeout) {
    return await(
        count,
        timeout,
        "log records",
        OtlpFileExtension::logRecords,
        List::size,
        Describe.listOf(Describe::logRecord));
  }

  /** {@link #awaitTraces(int, Duration)} with the default timeout. */
  public List<List<SpanData>> awaitTraces(int count) {
    return awaitTraces(count, settings.defaultTimeout);
  }

  /**
   * Waits until at least {@code count} traces have their root span in the current test's directory,
   * and returns those traces, as {@link #getTraces()} orders them. A trace counts once its root is
   * there; children that end after their root may still be on their way, so wait for the spans (or
   * for a later trace) where a test needs them all.
   *
   * @throws AssertionError if fewer arrived within {@code timeout}; the message lists the spans
   *     that did
   */
  public List<List<SpanData>> awaitTraces(int count, Duration timeout) {
    AtomicReference<List<SpanData>> seen = new AtomicReference<>();
    return await(
        count,
        timeout,
        "traces with their root span",
        test -> {
          seen.set(spans(test));
          return Traces.withRoot(seen.get());
        },
        List::size,
        traces -> " (spans present:" + Describe.list(seen.get(), Describe::span) + ")");
  }

  /**
   * The OTLP/HTTP endpoint of the current test's receiver, such as {@code http://127.0.0.1:41234},
   * started on first use on 127.0.0.1 and a free port; what it receives goes into the test's
   * directory. Give it to an exporter as its base endpoint (the signal paths {@code /v1/traces},
   * {@code /v1/metrics} and {@code /v1/logs} are appended by the SDKs' environment configuration;
   * an exporter's own {@code setEndpoint} wants the full URL). The receiver is shut down when the
   * test ends and its port is never used again in this JVM.
   */
  public String getOtlpEndpoint() {
    return test().receiver().getHttpEndpoint();
  }

  /**
   * The OTLP/gRPC endpoint of the current test's receiver, as {@link #getOtlpEndpoint()}.
   *
   * @throws IllegalStateException if grpc-java ({@code grpc-netty-shaded}, {@code grpc-protobuf},
   *     {@code grpc-stub}) is not on the class path
   */
  public String getOtlpGrpcEndpoint() {
    if (!TestTelemetry.grpcAvailable()) {
      throw new IllegalStateException(
          "OTLP/gRPC needs io.grpc:grpc-netty-shaded, grpc-protobuf and grpc-stub on the class"
              + " path; add them as test dependencies or use getOtlpEndpoint() (OTLP/HTTP)");
    }
    return test().receiver().getGrpcEndpoint();
  }

  /**
   * The environment for a child process whose OpenTelemetry SDK or Java agent should send its
   * telemetry to the current test's receiver, ready for {@code
   * processBuilder.environment().putAll(...)}: {@code OTEL_EXPORTER_OTLP_ENDPOINT} ({@link
   * #getOtlpEndpoint()}), {@code OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf}, the {@code otlp}
   * exporter for traces, metrics and logs, and short export delays ({@code OTEL_BSP_SCHEDULE_DELAY}
   * and {@code OTEL_BLRP_SCHEDULE_DELAY} 100 ms, {@code OTEL_METRIC_EXPORT_INTERVAL} 500 ms) so
   * that it arrives while the test waits.
   */
  public Map<String, String> getOtlpEnvironment() {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", getOtlpEndpoint());
    environment.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
    environment.put("OTEL_TRACES_EXPORTER", "otlp");
    environment.put("OTEL_METRICS_EXPORTER", "otlp");
    environment.put("OTEL_LOGS_EXPORTER", "otlp");
    environment.put("OTEL_BSP_SCHEDULE_DELAY", EXPORT_DELAY_MILLIS);
    environment.put("OTEL_BLRP_SCHEDULE_DELAY", EXPORT_DELAY_MILLIS);
    environment.put("OTEL_METRIC_EXPORT_INTERVAL", "500");
    return Collections.unmodifiableMap(environment);
  }

  /** {@link #getOtlpEnvironment()} with {@code OTEL_SERVICE_NAME} set to {@code serviceName}. */
  public Map<String, String> getOtlpEnvironment(String serviceName) {
    requireNonNull(serviceName, "serviceName");
    Map<String, String> environment = new LinkedHashMap<>(getOtlpEnvironment());
    environment.put("OTEL_SERVICE_NAME", serviceName);
    return Collections.unmodifiableMap(environment);
  }

  /**
   * Leaves everything in the current test's directory so far out of later reads, so that a test can
   * start over; the files stay, for a failure to show. Metrics are what the SDK reports: an
   * instrument keeps its state, so a cumulative metric recorded again after {@code clear()} shows
   * its total since the test began (a delta metric from another writer, only what is new).
   */
  public void clear() {
    TestTelemetry test = test();
    if (test.isCreated()) {
      test.clear();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    TestTelemetry test =
        new TestTelemetry(displayName(context), directoryOf(context), settings, this::root);
    test.previousBinding = current.get();
    running.put(context.getUniqueId(), test);
    current.set(test);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestTelemetry test = running.remove(context.getUniqueId());
    if (test == null) {
      return;
    }
    TestTelemetry previous = test.previousBinding;
    if (previous != null && !previous.isClosed()) {
      current.set(previous);
    } else {
      current.remove();
    }
    OtlpFileReceiver receiver = test.close();
    if (!test.isCreated()) {
      removeRootIfEmpty(); // made when the first test started, maybe never used
      return;
    }
    boolean keep = failed(context);
    if (keep) {
      context.publishReportEntry("otlp-file.directory", test.directory.toString());
      System.err.println(failureNote(test));
    }
    if (receiver == null) {
      if (!keep && !settings.keepFiles) {
        delete(test.directory);
        removeRootIfEmpty();
      }
      return;
    }
    // The receiver's port closes at once; its HTTP server takes a second to stop.
    boolean remove = !keep && !settings.keepFiles;
    Cleanups.run(
        () -> {
          receiver.close();
          if (remove) {
            delete(test.directory);
            removeRootIfEmpty();
          }
        });
  }

  private String failureNote(TestTelemetry test) {
    String dir = test.directory.toString();
    String look =
        settings.format == OtlpFileFormat.JSON_LINES
            ? "cat " + dir + "/*/*.jsonl"
            : "read it with io.github.otlpfile.read.OtlpFileReader.open(Paths.get(\""
                + dir
                + "\"))";
    return "[OtlpFileExtension] "
        + test.testName
        + " failed; its telemetry is kept in "
        + dir
        + "\n[OtlpFileExtension]   "
        + look;
  }

  private static boolean failed(ExtensionContext context) {
    Optional<Throwable> error = context.getExecutionException();
    return error.isPresent() && !(error.get() instanceof TestAbortedException);
  }

  /** The test the calling thread belongs to (see the class's documentation). */
  private TestTelemetry test() {
    TestTelemetry bound = current.get();
    if (bound != null) {
      if (bound.isClosed()) {
        throw new IllegalStateException(
            "thread "
                + Thread.currentThread().getName()
                + " was started by the test "
                + bound.testName
                + ", which has ended");
      }
      return bound;
    }
    Iterator<TestTelemetry> tests = running.values().iterator();
    if (!tests.hasNext()) {
      throw new IllegalStateException(
          "no test of this OtlpFileExtension is running: call it in a test method, @BeforeEach"
              + " or @AfterEach (not in @BeforeAll, a constructor or a field initializer), and"
              + " register the extension with @RegisterExtension");
    }
    TestTelemetry only = tests.next();
    if (tests.hasNext()) {
      throw new IllegalStateException(
          running.size()
              + " tests of this OtlpFileExtension are running at once and thread "
              + Thread.currentThread().getName()
              + " was started by none of them: call from the test's thread or a thread it"
              + " started, or hand that thread what the test's thread got (getOpenTelemetry(),"
              + " getDirectory(), getOtlpEndpoint())");
    }
    return only;
  }

  private static List<SpanData> spans(TestTelemetry test) {
    return test.isCreated()
        ? DirectoryReads.spans(test.directory, test.clearedPositions())
        : new ArrayList<>();
  }

  private static List<MetricData> metrics(TestTelemetry test) {
    return test.isCreated()
        ? DirectoryReads.metrics(test.directory, test.clearedPositions())
        : new ArrayList<>();
  }

  private static List<LogRecordData> logRecords(TestTelemetry test) {
    return test.isCreated()
        ? DirectoryReads.logRecords(test.directory, test.clearedPositions())
        : new ArrayList<>();
  }

  private <S> S await(
      int count,
      Duration timeout,
      String what,
      Function<TestTelemetry, S> read,
      java.util.function.ToIntFunction<S> size,
      Function<S, String> describe) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, but was " + count);
    }
    requireNonNull(timeout, "timeout");
    TestTelemetry test = test();
    long start = System.nanoTime();
    long pause = MIN_PAUSE_NANOS;
    while (true) {
      test.flush();
      S found = read.apply(test);
      int n = size.applyAsInt(found);
      if (n >= count) {
        return found;
      }
      long left = timeout.toNanos() - (System.nanoTime() - start);
      if (left <= 0) {
        throw new AssertionError(
            "expected at least "
                + count
                + " "
                + what
                + " in "
                + test.directory
                + " within "
                + timeout
                + ", but "
                + n
                + " arrived:"
                + describe.apply(found));
      }
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(pause, left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + count + " " + what, e);
      }
      pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
    }
  }

  /** The extension's folder, made on first use (again, if it was removed once empty). */
  private Path root() {
    synchronized (rootLock) {
      try {
        if (root == null) {
          if (settings.directory != null) {
            root = Files.createDirectories(settings.directory);
          } else {
            root = Files.createTempDirectory("otlp-file-tests-");
            temporaryRoot = true;
          }
        } else if (temporaryRoot && !Files.isDirectory(root)) {
          Files.createDirectories(root);
        }
        return root;
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot create the folder for the tests' telemetry "
                + (settings.directory == null ? "in the temporary directory" : settings.directory),
            e);
      }
    }
  }

  private void removeRootIfEmpty() {
    synchronized (rootLock) {
      if (!temporaryRoot || !running.isEmpty()) {
        return;
      }
      try {
        Files.deleteIfExists(root);
      } catch (DirectoryNotEmptyException e) {
        // Kept files of failed tests, or a test that has just started.
      } catch (IOException e) {
        logger.log(Level.FINE, "Cannot remove " + root, e);
      }
    }
  }

  private Path directoryOf(ExtensionContext context) {
    StringBuilder name = new StringBuilder();
    Optional<Class<?>> testClass = context.getTestClass();
    if (testClass.isPresent()) {
      String className = testClass.get().getName();
      name.append(className.substring(className.lastIndexOf('.') + 1).replace('$', '.'));
    }
    if (context.getTestMethod().isPresent()) {
      name.append('.').append(context.getTestMethod().get().getName());
    }
    String uniqueId = context.getUniqueId();
    int invocation = uniqueId.lastIndexOf("-invocation:#");
    if (invocation >= 0) {
      name.append('-').append(uniqueId.substring(invocation + "-invocation:#".length()));
    }
    StringBuilder safe = new StringBuilder();
    for (int i = 0; i < name.length() && safe.length() < MAX_NAME_CHARS; i++) {
      char c = name.charAt(i);
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '-'
              || c == '_';
      safe.append(plain ? c : '_');
    }
    if (safe.length() == 0 || safe.charAt(0) == '.') {
      safe.insert(0, "test");
    }
    safe.append('-').append(sequence.incrementAndGet());
    // Resolved now, made on first use: a test that records nothing costs no file system work.
    return rootPath().resolve(safe.toString());
  }

  private Path rootPath() {
    synchronized (rootLock) {
      return root != null ? root : root();
    }
  }

  private static String displayName(ExtensionContext context) {
    String className = context.getTestClass().map(Class::getSimpleName).orElse("");
    String method = context.getDisplayName();
    return className.isEmpty() ? method : className + " " + method;
  }

  private static void delete(Path directory) {
    try {
      Files.walkFileTree(
          directory,
          new SimpleFileVisitor<Path>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.deleteIfExists(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (NoSuchFileException e) {
      // already gone
    } catch (IOException e) {
      logger.log(Level.WARNING, "Cannot remove the directory of a passed test: " + directory, e);
    }
  }

  @Override
  public String toString() {
    return "OtlpFileExtension{format="
        + settings.format
        + ", directory="
        + (settings.directory == null ? "(temporary)" : settings.directory)
        + ", defaultTimeout="
        + settings.defaultTimeout
        + ", keepFiles="
        + settings.keepFiles
        + ", running="
        + running.size()
        + "}";
  }
}
