package io.github.otlpfile.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.otlpfile.OtlpFileSpanExporter;
import io.github.otlpfile.read.OtlpFileReader;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Test classes written as a test author would, run through the JUnit Platform launcher: with
 * parallel execution of classes and methods every test sees only its own telemetry, including
 * {@code @Nested}, parameterized and repeated tests and threads a test starts; telemetry that
 * arrives for an earlier test after it ended never reaches a later one.
 */
class OtlpFileExtensionIsolationTest {
  private static final AttributeKey<String> ID = AttributeKey.stringKey("test.id");
  // Filled by the test classes below while the launcher runs them.
  static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();
  static final Set<String> IDS = ConcurrentHashMap.newKeySet();

  @Test
  void parallelClassesAndMethodsSeeOnlyTheirOwnTelemetry() {
    DIRECTORIES.clear();
    IDS.clear();
    Launch.Result result = Launch.run(Launch.PARALLEL, ParallelMethods.class, ParallelClass.class);

    assertThat(result.summary().getTotalFailureCount()).as(result.failures()).isZero();
    // 3 plain + 3 parameterized + 3 repeated + 2 nested, and 3 in the other class
    assertThat(result.summary().getTestsSucceededCount()).isEqualTo(14);
    assertThat(IDS).hasSize(14);
    assertThat(DIRECTORIES).as("one directory per test").hasSize(14);
    assertThat(DIRECTORIES).allSatisfy(dir -> assertThat(dir).as("removed: passed").doesNotExist());
  }

  @Test
  void lateTelemetryOfAnEarlierTestStaysOutOfTheNext() {
    Launch.Result result = Launch.run(Map.of(), LateTelemetry.class);

    assertThat(result.summary().getTotalFailureCount()).as(result.failures()).isZero();
    assertThat(result.summary().getTestsSucceededCount()).isEqualTo(2);
  }

  @Test
  void aCallOutsideAnyTestSaysWhatIsWrong() {
    OtlpFileExtension notRegistered = OtlpFileExtension.create();
    assertThatThrownBy(notRegistered::getSpans)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no test of this OtlpFileExtension is running")
        .hasMessageContaining("@RegisterExtension");
  }

  /**
   * Emits a span (and one from a thread it starts), a counter and a log record named by {@code id},
   * waits at {@code barrier} (so that the other tests have emitted theirs), then reads back only
   * its own.
   */
  static void emitAndReadOwn(OtlpFileExtension otel, String id, CyclicBarrier barrier)
      throws Exception {
    assertThat(IDS.add(id)).as("ids are unique").isTrue();
    OpenTelemetrySdk sdk = otel.getOpenTelemetry();
    Tracer tracer = sdk.getTracer("isolation");
    tracer.spanBuilder(id).startSpan().end();
    // A thread the test starts belongs to the test.
    Thread thread =
        new Thread(
            () ->
                otel.getOpenTelemetry()
                    .getTracer("isolation")
                    .spanBuilder(id + "-thread")
                    .startSpan()
                    .end());
    thread.start();
    thread.join(TimeUnit.SECONDS.toMillis(30));
    sdk.getMeter("isolation")
        .counterBuilder("calls")
        .build()
        .add(id.length(), Attributes.of(ID, id));
    sdk.getLogsBridge().get("isolation").logRecordBuilder().setBody(id).emit();
    if (barrier != null) {
      barrier.await(30, TimeUnit.SECONDS);
    }

    assertThat(otel.getSpans())
        .extracting(SpanData::getName)
        .containsExactlyInAnyOrder(id, id + "-thread");
    List<MetricData> metrics = otel.getMetrics();
    assertThat(metrics).extracting(MetricData::getName).containsExactly("calls");
    assertThat(metrics.get(0).getLongSumData().getPoints())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getValue()).isEqualTo(id.length());
              assertThat(p.getAttributes().get(ID)).isEqualTo(id);
            });
    assertThat(otel.getLogRecords())
        .extracting(l -> l.getBodyValue().asString())
        .containsExactly(id);
    DIRECTORIES.add(otel.getDirectory());
  }

  /**
   * Three plain tests that meet at the class's barrier of three, each emitting under its own id:
   * the test classes below inherit them.
   */
  abstract static class ThreeAtABarrier {
    private final OtlpFileExtension otel;
    private final CyclicBarrier barrier;
    private final String prefix;

    ThreeAtABarrier(OtlpFileExtension otel, CyclicBarrier barrier, String prefix) {
      this.otel = otel;
      this.barrier = barrier;
      this.prefix = prefix;
    }

    @Test
    void first() throws Exception {
      emitAndReadOwn(otel, prefix + "first", barrier);
    }

    @Test
    void second() throws Exception {
      emitAndReadOwn(otel, prefix + "second", barrier);
    }

    @Test
    void third() throws Exception {
      emitAndReadOwn(otel, prefix + "third", barrier);
    }
  }

  /** Runs its methods at once; the plain tests meet at a barrier. */
  static class ParallelMethods extends ThreeAtABarrier {
    @RegisterExtension static final OtlpFileExtension otel = OtlpFileExtension.create();
    private static final CyclicBarrier BARRIER = new CyclicBarrier(3);

    ParallelMethods() {
      super(otel, BARRIER, "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"apple", "banana", "cherry"})
    void parameterized(String fruit) throws Exception {
      emitAndReadOwn(otel, "param-" + fruit, null);
    }

    @RepeatedTest(3)
    void repeated(RepetitionInfo repetition) throws Exception {
      emitAndReadOwn(otel, "repeated-" + repetition.getCurrentRepetition(), null);
    }

    @Nested
    class Inner {
      @Test
      void nestedOne() throws Exception {
        emitAndReadOwn(otel, "nested-one", null);
      }

      @Test
      void nestedTwo() throws Exception {
        emitAndReadOwn(otel, "nested-two", null);
      }
    }
  }

  /** A second class with its own extension, run at the same time as the first. */
  static class ParallelClass extends ThreeAtABarrier {
    @RegisterExtension static final OtlpFileExtension otel = OtlpFileExtension.create();
    private static final CyclicBarrier BARRIER = new CyclicBarrier(3);

    ParallelClass() {
      super(otel, BARRIER, "class-");
    }
  }

  /**
   * The first test leaves a thread behind that, once the second test runs, ends a span with the
   * first test's SDK, writes a file with this library's exporter into the first test's directory,
   * sends a span over OTLP to the first test's receiver. The second test sees none of it.
   */
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class LateTelemetry {
    @RegisterExtension static final OtlpFileExtension otel = OtlpFileExtension.create();
    private static final CountDownLatch secondStarted = new CountDownLatch(1);
    private static final CountDownLatch lateDone = new CountDownLatch(1);
    private static final AtomicReference<String> firstEndpoint = new AtomicReference<>();
    private static final AtomicReference<Path> firstDirectory = new AtomicReference<>();
    private static final AtomicReference<CompletableResultCode> lateSend = new AtomicReference<>();
    private static final AtomicReference<Throwable> lateCall = new AtomicReference<>();

    @Test
    @Order(1)
    void leavesAThreadBehind() {
      OpenTelemetrySdk sdk = otel.getOpenTelemetry();
      Path directory = otel.getDirectory();
      String endpoint = otel.getOtlpEndpoint();
      firstEndpoint.set(endpoint);
      firstDirectory.set(directory);
      sdk.getTracer("late").spanBuilder("in-time").startSpan().end();
      assertThat(otel.getSpans()).extracting(SpanData::getName).containsExactly("in-time");
      Thread late =
          new Thread(
              () -> {
                try {
                  secondStarted.await(30, TimeUnit.SECONDS);
                  // The first test passed: its directory goes once its receiver has stopped.
                  Awaitility.await()
                      .atMost(Duration.ofSeconds(30))
                      .until(() -> !Files.exists(directory));
                  sdk.getTracer("late").spanBuilder("late-sdk").startSpan().end();
                  try (OtlpFileSpanExporter files =
                      OtlpFileSpanExporter.builder().setDirectory(directory).build()) {
                    files.export(List.of(span("late-file"))).join(10, TimeUnit.SECONDS);
                  }
                  try (OtlpHttpSpanExporter exporter =
                      OtlpHttpSpanExporter.builder()
                          .setEndpoint(endpoint + "/v1/traces")
                          .setTimeout(Duration.ofSeconds(1))
                          .setConnectTimeout(Duration.ofSeconds(1))
                          .setRetryPolicy(null)
                          .build()) {
                    CompletableResultCode sent = exporter.export(List.of(span("late-otlp")));
                    sent.join(10, TimeUnit.SECONDS);
                    lateSend.set(sent);
                  }
                  try {
                    otel.getSpans(); // this thread was started by the first test
                  } catch (Throwable t) {
                    lateCall.set(t);
                  }
                } catch (Exception e) {
                  lateCall.set(e);
                } finally {
                  lateDone.countDown();
                }
              },
              "late-sender");
      late.setDaemon(true);
      late.start();
    }

    @Test
    @Order(2)
    void seesNoneOfIt() throws Exception {
      secondStarted.countDown();
      assertThat(lateDone.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(lateSend.get().isSuccess()).as("the first test's receiver is gone").isFalse();
      assertThat(lateCall.get())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("has ended");
      assertThat(otel.getOtlpEndpoint()).isNotEqualTo(firstEndpoint.get());
      assertThat(otel.getSpans()).isEmpty();
      assertThatThrownBy(() -> otel.awaitSpans(1, Duration.ofMillis(300)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("but 0 arrived");
      // The late writer's file went where it was told: the first test's directory.
      assertThat(OtlpFileReader.readSpans(firstDirectory.get()))
          .extracting(SpanData::getName)
          .containsExactly("late-file");
      deleteTree(firstDirectory.get());
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
      try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }

    private static SpanData span(String name) {
      long now = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
      return TestSpanData.builder()
          .setName(name)
          .setKind(SpanKind.INTERNAL)
          .setSpanContext(
              io.opentelemetry.api.trace.SpanContext.create(
                  "0af7651916cd43dd8448eb211c80319c",
                  "b7ad6b7169203331",
                  io.opentelemetry.api.trace.TraceFlags.getSampled(),
                  io.opentelemetry.api.trace.TraceState.getDefault()))
          .setStartEpochNanos(now)
          .setEndEpochNanos(now + 1000)
          .setStatus(StatusData.unset())
          .setHasEnded(true)
          .setTotalRecordedEvents(0)
          .setTotalRecordedLinks(0)
          .setTotalAttributeCount(0)
          .build();
    }
  }
}
