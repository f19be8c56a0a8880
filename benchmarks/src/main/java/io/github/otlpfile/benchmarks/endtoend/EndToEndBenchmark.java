package io.github.otlpfile.benchmarks.endtoend;

import io.github.otlpfile.benchmarks.data.TelemetryData;
import io.github.otlpfile.benchmarks.export.ExportBenchmark;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Spans from the application to the exporter through the real SDK: JMH's 4 benchmark threads are
 * the application, each creating and ending spans (11 attributes and 2 events, as the suite's
 * {@link TelemetryData} spans) at a quarter of the offered {@link #rate}, into one {@code
 * SdkTracerProvider} with {@code BatchSpanProcessor.builder(exporter).build()} (its defaults: a
 * queue of 2,048 spans, batches of 512, one export at a time) and the candidate exporter ({@link
 * Sink}).
 *
 * <p>One operation is one span ended, so the primary score is the span rate the application
 * actually achieved. A thread is paced by {@code System.nanoTime()} deadlines: the n-th span of an
 * iteration is due {@code n / (rate / 4)} seconds after the thread's first; when nothing is due the
 * thread parks (for at least 1 ms, so that pacing costs about a thousand wake-ups per second and
 * thread, not one per span) and then creates what has become due. A thread that falls behind does
 * not park and catches up on at most 4 ms of its schedule, giving up the rest: a rate the
 * application threads cannot keep up shows as a primary score below the rate, and no catch-up burst
 * larger than 4 ms of spans reaches the processor's queue.
 *
 * <p>Before the first iteration the exporter and the SDK's span path are warmed up whatever the
 * rate (see {@link #warmUp}). After each iteration the tracer provider is flushed ({@code
 * forceFlush}, inside the iteration's CPU window of {@code benchmarks.profile.CpuProfiler}), and
 * the spans ended are compared with what reached the exporter: the secondary results {@code ended}
 * (spans the application ended, JMH's unmeasured warm-up and warm-down phases of the iteration
 * included), {@code dropped} (ended but never handed to the exporter: the processor's queue was
 * full) and {@code failed} (handed over in an export whose result failed or had not completed after
 * the flush) are counts summed over the measured iterations. A candidate sustains a rate when it
 * achieves it (primary score at least 97% of {@link #rate}) with both counts zero. With {@code
 * -prof io.github.otlpfile.benchmarks.profile.CpuProfiler}, {@code ·cpu.ns/op} is the process CPU
 * time (every thread: application, batch processor, exporter, GC, JIT) per span.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 2, time = 2)
@Threads(4)
public class EndToEndBenchmark {
  /** Pacing granularity: a thread with nothing due parks at least this long. */
  static final long MIN_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  static final long WARM_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);
  static final int WARM_UP_BATCHES = 1000;
  static final int WARM_UP_SPANS = 20_000;

  /** The most a thread catches up on after falling behind: 4 ms of its spans. */
  static final long MAX_BACKLOG_NANOS = TimeUnit.MILLISECONDS.toNanos(4);

  @Param({"none", "ours_protobuf", "ours_jsonl", "contrib_64m", "stdout"})
  public String exporter;

  /** Spans per second offered by all application threads together. */
  @Param({"25000", "50000", "100000", "125000", "150000", "200000", "300000", "400000"})
  public int rate;

  private Path directory;
  private Sink sink;
  private SdkTracerProvider provider;
  private Tracer tracer;
  private final LongAdder ended = new LongAdder();
  // Counts up to the previous flush, so that each iteration reports its own.
  private long endedBefore;
  private long droppedBefore;
  private long failedBefore;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    directory = Files.createTempDirectory(ExportBenchmark.baseDirectory(), "e2e-" + exporter + "-");
    try {
      sink = new Sink(exporter, directory.resolve("out"));
    } catch (IOException | RuntimeException e) {
      deleteTree(directory); // JMH skips the teardown of a failed setup
      throw e;
    }
    provider =
        SdkTracerProvider.builder()
            .setResource(TelemetryData.resource())
            .addSpanProcessor(BatchSpanProcessor.builder(sink).build())
            .build();
    tracer = provider.get("io.opentelemetry.benchmarks.orders", "2.14.3");
    warmUp();
  }

  /**
   * JIT-compiles the exporter's and the SDK's paths before the first iteration, whatever the rate:
   * at the lowest rates JMH's warm-up iteration alone hands the exporter too few batches, and the
   * compiler threads' CPU would be charged to the measured spans. Exports the suite's batch of 512
   * spans for up to {@link #WARM_UP_NANOS} (at most {@link #WARM_UP_BATCHES} batches), then ends
   * {@link #WARM_UP_SPANS} spans through the provider unpaced and flushes it. What this exports is
   * left out of the counts.
   */
  private void warmUp() throws IOException {
    List<SpanData> batch = TelemetryData.spans();
    long deadline = System.nanoTime() + WARM_UP_NANOS;
    for (int i = 0; i < WARM_UP_BATCHES && System.nanoTime() < deadline; i++) {
      sink.export(batch).join(30, TimeUnit.SECONDS);
    }
    for (int i = 0; i < WARM_UP_SPANS; i++) {
      endSpan(i & (SpanShapes.COUNT - 1));
    }
    provider.forceFlush().join(60, TimeUnit.SECONDS);
    endedBefore = ended.sum();
    droppedBefore = endedBefore - sink.received();
    failedBefore = sink.received() - sink.succeeded();
    sink.afterIteration();
  }

  /**
   * Flushes the provider and counts what the iteration lost. Runs on one thread after every
   * application thread has stopped (JMH's barrier before the iteration's teardown). Not a
   * benchmark-level iteration teardown: while one of those runs, JMH's other threads spin waiting
   * for it, which would take CPU from the flush and add to the CPU measured.
   */
  void flushAndCount(Losses losses) throws IOException {
    CompletableResultCode flushed = provider.forceFlush().join(60, TimeUnit.SECONDS);
    if (!flushed.isDone()) {
      throw new IllegalStateException(exporter + ": forceFlush did not complete in 60 s");
    }
    long endedNow = ended.sum();
    long dropped = endedNow - sink.received();
    long failed = sink.received() - sink.succeeded(); // failed, or still not done after the flush
    losses.ended = endedNow - endedBefore;
    losses.dropped = dropped - droppedBefore;
    losses.failed = failed - failedBefore;
    endedBefore = endedNow;
    droppedBefore = dropped;
    failedBefore = failed;
    sink.afterIteration();
  }

  /** After the last iteration's {@link #flushAndCount}, on the same thread. */
  void tearDown() throws IOException {
    provider.shutdown().join(60, TimeUnit.SECONDS);
    deleteTree(directory);
  }

  /** One application thread's pace. */
  @State(Scope.Thread)
  public static class Pacer {
    long nanosPerSpanTimes1024;
    long start;
    long created;
    int next;

    @Setup(Level.Trial)
    public void setUp(EndToEndBenchmark benchmark, BenchmarkParams params, ThreadParams thread) {
      double perThread = (double) benchmark.rate / params.getThreads();
      nanosPerSpanTimes1024 = Math.round(1e9 * 1024 / perThread);
      next = thread.getThreadIndex() * 131;
    }

    @Setup(Level.Iteration)
    public void reset() {
      start = 0;
      created = 0;
    }

    /**
     * Returns once the next span is due. A thread more than {@link #MAX_BACKLOG_NANOS} behind its
     * schedule gives up the excess (its schedule moves later), so that it never catches up in a
     * burst no application would make; the spans given up are missing from the rate achieved.
     */
    void await() {
      long now = System.nanoTime();
      if (start == 0) {
        start = now;
        return;
      }
      long due = start + (created * nanosPerSpanTimes1024 >> 10);
      if (now < due) {
        LockSupport.parkNanos(Math.max(due - now, MIN_PARK_NANOS));
      } else if (now - due > MAX_BACKLOG_NANOS) {
        start += now - due - MAX_BACKLOG_NANOS;
      }
    }
  }

  /**
   * What the flush after an iteration found, as counts: thread 0 flushes and reports them, the
   * other threads report 0, so that JMH's sum over threads is the count.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Losses {
    /** Spans the application ended, measured or not (JMH's warm-up and warm-down phases too). */
    public long ended;

    /** Spans ended but never handed to the exporter: the processor's queue was full. */
    public long dropped;

    /**
     * Spans handed to the exporter in an export whose result failed, or had not completed when the
     * flush returned.
     */
    public long failed;

    private boolean reporter;

    @Setup(Level.Trial)
    public void setUp(ThreadParams thread) {
      reporter = thread.getThreadIndex() == 0;
    }

    @Setup(Level.Iteration)
    public void reset() {
      ended = 0;
      dropped = 0;
      failed = 0;
    }

    @TearDown(Level.Iteration)
    public void afterIteration(EndToEndBenchmark benchmark) throws IOException {
      if (reporter) {
        benchmark.flushAndCount(this);
      }
    }

    /**
     * Not a benchmark-level trial teardown: another thread could run that while this one still
     * flushes the last iteration.
     */
    @TearDown(Level.Trial)
    public void tearDown(EndToEndBenchmark benchmark) throws IOException {
      if (reporter) {
        benchmark.tearDown();
      }
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void span(Pacer pacer, Losses losses) { // losses: so that JMH makes one per thread
    pacer.await();
    endSpan(pacer.next++ & (SpanShapes.COUNT - 1));
    pacer.created++;
  }

  /** What the application does: one span of the suite's shape {@code i}, started and ended. */
  private void endSpan(int i) {
    Span span =
        tracer
            .spanBuilder(SpanShapes.NAMES[i])
            .setSpanKind(SpanShapes.KINDS[i])
            .setAttribute("http.request.method", SpanShapes.METHODS[i])
            .setAttribute("http.route", SpanShapes.ROUTES[i])
            .setAttribute("url.path", SpanShapes.PATHS[i])
            .setAttribute("url.scheme", "https")
            .setAttribute("http.response.status_code", SpanShapes.ERROR[i] ? 500L : 200L)
            .setAttribute("server.address", "orders.shop.svc.cluster.local")
            .setAttribute("server.port", 8443L)
            .setAttribute("network.protocol.version", "1.1")
            .setAttribute("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) shop-client/4.2")
            .setAttribute("app.order.items", (long) (i % 9 + 1))
            .setAttribute("app.cache.hit", i % 2 == 0)
            .startSpan();
    span.addEvent("order.validated", SpanShapes.VALIDATED[i]);
    span.addEvent("db.query", SpanShapes.QUERY[i]);
    if (SpanShapes.ERROR[i]) {
      span.setStatus(StatusCode.ERROR, "upstream returned 500");
    }
    span.end();
    ended.increment();
  }

  /** The suite's 512 span shapes, computed once so that the application's work is the SDK's. */
  static final class SpanShapes {
    static final int COUNT = TelemetryData.BATCH_SIZE; // a power of two
    static final String[] NAMES = new String[COUNT];
    static final SpanKind[] KINDS = new SpanKind[COUNT];
    static final String[] METHODS = new String[COUNT];
    static final String[] ROUTES = new String[COUNT];
    static final String[] PATHS = new String[COUNT];
    static final boolean[] ERROR = new boolean[COUNT];
    static final Attributes[] VALIDATED = new Attributes[COUNT];
    static final Attributes[] QUERY = new Attributes[COUNT];

    static {
      String[] routes = {
        "/api/v1/orders", "/api/v1/orders/{id}", "/api/v1/customers/{id}", "/api/v1/cart",
        "/api/v1/checkout", "/health", "/api/v1/products", "/api/v1/products/{id}/reviews"
      };
      String[] methods = {"GET", "POST", "PUT", "DELETE"};
      for (int i = 0; i < COUNT; i++) {
        ROUTES[i] = routes[i % routes.length];
        METHODS[i] = methods[i % methods.length];
        NAMES[i] = METHODS[i] + " " + ROUTES[i];
        KINDS[i] = i % 3 == 0 ? SpanKind.SERVER : i % 3 == 1 ? SpanKind.CLIENT : SpanKind.INTERNAL;
        PATHS[i] = ROUTES[i].replace("{id}", Integer.toString(10_000 + i));
        ERROR[i] = i % 17 == 0;
        VALIDATED[i] =
            Attributes.of(
                AttributeKey.stringKey("order.id"),
                "ord-" + (100_000 + i),
                AttributeKey.longKey("order.lines"),
                (long) (i % 9 + 1));
        QUERY[i] =
            Attributes.of(
                AttributeKey.stringKey("db.statement"),
                "SELECT id, status, total FROM orders WHERE customer_id = ?",
                AttributeKey.doubleKey("db.duration_ms"),
                1.25 + (i % 13));
      }
    }

    private SpanShapes() {}
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
