package io.github.otlpfile.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.otlpfile.CircuitBreakerConfig;
import io.github.otlpfile.CircuitState;
import io.github.otlpfile.Compression;
import io.github.otlpfile.Durability;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.internal.ExporterCounters;
import io.github.otlpfile.internal.Signal;
import io.github.otlpfile.internal.buffer.RecordTicket;
import io.github.otlpfile.internal.encode.BatchEncoder;
import io.github.otlpfile.internal.encode.EncodedBuffer;
import io.github.otlpfile.internal.file.FileCompressor;
import io.github.otlpfile.internal.file.FileFolder;
import io.github.otlpfile.internal.file.FolderMaintenance;
import io.github.otlpfile.internal.file.RetentionPolicy;
import io.github.otlpfile.internal.file.TestSpans;
import io.github.otlpfile.internal.file.WriteListener;
import io.github.otlpfile.internal.forward.ScriptedRemote.Answer;
import io.github.otlpfile.support.LogCapture;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live forwarding together with catch-up, as the exporter wires them: the writer's reports go to
 * the listener {@link Forwarder#startCatchUp} returns, live outcomes decide what catch-up sends
 * from the files, and shutdown stops catch-up before the delegate.
 */
class ForwarderCatchUpTest {
  private static final String OWN = "0123456789ab";
  private static final Duration OPEN = Duration.ofSeconds(10);

  @TempDir Path dir;
  @RegisterExtension final LogCapture logs = LogCapture.of(Forwarder.class.getName());

  private final TestClock clock = TestClock.create();
  private final ExporterCounters counters = new ExporterCounters();
  private final ScriptedRemote remote = new ScriptedRemote();
  private final BatchEncoder<SpanData> encoder = BatchEncoder.forSpans(OtlpFileFormat.PROTOBUF);
  private final String fileName = "traces-20250101T000001.000Z-" + OWN + "-1.binpb";
  private final List<Forwarder<SpanData>> forwarders = new ArrayList<>();
  private Duration timeout = Duration.ofSeconds(5);
  private Path traces;
  private WriteListener listener;

  /** Deletes every closed file when told to: the policy allows none. */
  private FolderMaintenance maintenance;

  @AfterEach
  void shutDown() {
    remote.completeAll(true);
    for (Forwarder<SpanData> forwarder : forwarders) {
      forwarder.shutdownAfter(CompletableResultCode.ofSuccess()).join(10, TimeUnit.SECONDS);
    }
  }

  private Forwarder<SpanData> forwarder(boolean catchUp, int threshold) throws IOException {
    return forwarder(catchUp, threshold, 4, ForwardSettings::copyOfCollection);
  }

  private Forwarder<SpanData> forwarder(
      boolean catchUp, int threshold, int maxInFlight, UnaryOperator<Collection<SpanData>> snapshot)
      throws IOException {
    ForwardSettings<SpanData> settings =
        new ForwardSettings<>(
            "remote",
            remote::delegate,
            timeout,
            maxInFlight,
            CircuitBreakerConfig.builder()
                .setFailureThreshold(threshold)
                .setOpenDuration(OPEN)
                .build(),
            snapshot,
            catchUp,
            1_000_000);
    Forwarder<SpanData> forwarder = new Forwarder<>(Signal.TRACES, settings, clock, counters);
    forwarders.add(forwarder);
    traces = Files.createDirectories(dir.resolve("traces"));
    FileFolder folder = new FileFolder(traces, "traces");
    maintenance =
        new FolderMaintenance(
            folder,
            new RetentionPolicy(0, 0, Long.MAX_VALUE),
            Compression.NONE,
            Durability.NONE,
            clock,
            counters,
            FileCompressor.shared());
    listener = forwarder.startCatchUp(folder, OWN, maintenance, false);
    return forwarder;
  }

  /**
   * Does what the exporter and its writer do with one batch: queues it, appends its record to the
   * file and reports the record; returns the write's result, for the test to complete.
   */
  private CompletableResultCode queue(Forwarder<SpanData> forwarder, String prefix, int count)
      throws IOException {
    List<SpanData> spans = TestSpans.batch(prefix, count);
    CompletableResultCode written = new CompletableResultCode();
    RecordTicket ticket = new RecordTicket();
    forwarder.afterQueued(spans, count, written, ticket);
    EncodedBuffer buffer = encoder.encode(spans);
    byte[] bytes = buffer.toByteArray();
    encoder.recycle(buffer);
    Path file = traces.resolve(fileName);
    long position = Files.exists(file) ? Files.size(file) : 0;
    Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    ticket.written(file, position, bytes.length - 4, count);
    listener.recordWritten(ticket);
    return written;
  }

  /** {@link #queue}, and the write succeeds. */
  private void export(Forwarder<SpanData> forwarder, String prefix, int count) throws IOException {
    queue(forwarder, prefix, count).succeed();
  }

  private static ConditionFactory soon() {
    return await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5));
  }

  private static void settle(Forwarder<SpanData> forwarder) {
    assertThat(
            forwarder
                .flushAfter(CompletableResultCode.ofSuccess())
                .join(10, TimeUnit.SECONDS)
                .isDone())
        .isTrue();
  }

  private static List<String> names(String prefix, int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add(prefix + "-" + i);
    }
    return names;
  }

  private List<String> messages(Level level) {
    List<String> messages = new ArrayList<>();
    for (LogRecord record : logs.records()) {
      if (record.getLevel().equals(level)) {
        messages.add(record.getMessage());
      }
    }
    return messages;
  }

  @Test
  void whatAnotherInstanceLeftInTheFolderIsCaughtUpWithoutAnyExport() throws IOException {
    Files.createDirectories(dir.resolve("traces"));
    List<SpanData> spans = TestSpans.batch("left", 2);
    EncodedBuffer buffer = encoder.encode(spans);
    Files.write(
        dir.resolve("traces").resolve("traces-20250101T000000.000Z-ba9876543210-1.binpb"),
        buffer.toByteArray());
    encoder.recycle(buffer);

    forwarder(true, 5);
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 2);

    assertThat(remote.received).containsExactly(names("left", 2));
    assertThat(counters.forwardFoundItems.sum()).isEqualTo(2);
  }

  @Test
  void aCatchUpSendWithoutAnAnswerTimesOutAfterTheForwardingTimeoutAndIsSentAgain()
      throws IOException {
    Files.createDirectories(dir.resolve("traces"));
    List<SpanData> spans = TestSpans.batch("left", 2);
    EncodedBuffer buffer = encoder.encode(spans);
    Files.write(
        dir.resolve("traces").resolve("traces-20250101T000000.000Z-ba9876543210-1.binpb"),
        buffer.toByteArray());
    encoder.recycle(buffer);
    remote.answerFirst("left-0", Answer.PENDING);
    timeout = Duration.ofMillis(100);

    forwarder(true, 5);
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 2);

    assertThat(remote.received).containsExactly(names("left", 2), names("left", 2));
    assertThat(remote.pending.get(0).isDone()).as("the first send never answered").isFalse();
  }

  @Test
  void retentionDeletingAFileBeforeCatchUpSentItIsSeenByCatchUp() throws IOException {
    Forwarder<SpanData> forwarder = forwarder(true, 1);
    remote.answer(Answer.FAIL);
    export(forwarder, "a", 1);
    settle(forwarder);
    assertThat(forwarder.getCircuitState()).isEqualTo(CircuitState.OPEN);
    export(forwarder, "b", 2);
    settle(forwarder);
    soon().until(() -> counters.backlogItems() == 3);

    assertThat(maintenance.enforceRetention()).isEqualTo(1);

    assertThat(counters.backlogItems()).isZero();
    assertThat(counters.forwardExpiredItems.sum()).isEqualTo(3);
  }

  @Test
  void withoutCatchUpThereIsNoListenerAndARejectionCountsAsFailed() throws IOException {
    Forwarder<SpanData> forwarder = forwarder(false, 5);
    assertThat(listener).isNull();
    assertThat(forwarder.isCatchingUp()).isFalse();
    assertThat(counters.isCatchingUp()).isFalse();
    remote.answer(Answer.REJECT);

    List<SpanData> spans = TestSpans.batch("a", 2);
    CompletableResultCode written = new CompletableResultCode();
    forwarder.afterQueued(spans, 2, written, new RecordTicket());
    written.succeed();
    settle(forwarder);

    assertThat(remote.received).containsExactly(names("a", 2));
    assertThat(counters.forwardFailedItems.sum()).isEqualTo(2);
    assertThat(counters.forwardRejectedItems.sum()).isZero();
  }

  @Test
  void catchUpSendsOnlyWhatLiveForwardingDidNotDeliver() throws IOException {
    Forwarder<SpanData> forwarder = forwarder(true, 5);
    assertThat(listener).isNotNull();
    assertThat(forwarder.isCatchingUp()).isTrue();
    assertThat(counters.isCatchingUp()).isTrue();
    remote.answerFirst("b-0", Answer.UNAVAILABLE);
    remote.answerFirst("c-0", Answer.THROW);

    export(forwarder, "a", 2);
    settle(forwarder);
    export(forwarder, "b", 3);
    settle(forwarder);
    export(forwarder, "c", 1);
    settle(forwarder);
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 4);

    List<String> flat = remote.flat();
    assertThat(flat.subList(0, 5)).as("live").containsExactly("a-0", "a-1", "b-0", "b-1", "b-2");
    assertThat(flat)
        .containsExactlyInAnyOrder(
            "a-0", "a-1", "b-0", "b-1", "b-2", "c-0", "b-0", "b-1", "b-2", "c-0");
    assertThat(flat.lastIndexOf("b-0"))
        .as("caught up in file order")
        .isLessThan(flat.lastIndexOf("c-0"));
    assertThat(counters.forwardedItems.sum()).isEqualTo(2);
    assertThat(counters.forwardFailedItems.sum()).isEqualTo(4);
    assertThat(counters.forwardRejectedItems.sum()).isZero();
    assertThat(counters.backlogItems()).isZero();
    assertThat(counters.backlogBytes()).isZero();
    assertThat(counters.backlogAgeMillis()).isZero();
  }

  @Test
  void aBatchRefusedForGoodIsCountedAsRejectedAndNotCaughtUp() throws IOException {
    Forwarder<SpanData> forwarder = forwarder(true, 1);
    remote.answer(Answer.REJECT);

    export(forwarder, "a", 2);
    settle(forwarder);
    assertThat(forwarder.getCircuitState())
        .as("a refusal still counts against the breaker")
        .isEqualTo(CircuitState.OPEN);
    export(forwarder, "b", 1);
    settle(forwarder);
    clock.advance(OPEN);
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 1);

    assertThat(remote.received).containsExactly(names("a", 2), names("b", 1));
    assertThat(counters.forwardRejectedItems.sum()).isEqualTo(2);
    assertThat(counters.forwardFailedItems.sum()).isZero();
    assertThat(counters.forwardSkippedItems.sum()).isEqualTo(1);
    assertThat(messages(Level.WARNING)).anyMatch(m -> m.contains("Failed to forward 2 spans"));
  }

  @Test
  void aBatchThatCannotBeCopiedIsCaughtUpFromTheFile() throws IOException {
    AtomicInteger copies = new AtomicInteger();
    Forwarder<SpanData> forwarder =
        forwarder(
            true,
            5,
            4,
            items -> {
              if (copies.incrementAndGet() == 1) {
                throw new IllegalStateException("cannot copy");
              }
              return ForwardSettings.copyOfCollection(items);
            });

    export(forwarder, "a", 2);
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 2);

    assertThat(counters.forwardFailedItems.sum()).isEqualTo(2);
    assertThat(remote.received).as("from the file only").containsExactly(names("a", 2));
  }

  @Test
  void aBatchThatFindsNoFreeSlotIsCaughtUpOnceTheOneBeforeItSettled() throws IOException {
    Forwarder<SpanData> forwarder = forwarder(true, 5, 1, ForwardSettings::copyOfCollection);
    remote.answer(Answer.PENDING);
    export(forwarder, "a", 1);
    soon().until(() -> remote.received.size() == 1);
    export(forwarder, "b", 2);
    assertThat(counters.forwardSkippedItems.sum()).isEqualTo(2);

    remote.pending.get(0).succeed();
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 2);
    assertThat(remote.received).containsExactly(names("a", 1), names("b", 2));
    assertThat(counters.forwardedItems.sum()).isEqualTo(1);
  }

  @Test
  void aBatchWhoseWriteEndsAfterTheBreakerOpenedIsSkippedAndCaughtUp() throws IOException {
    Forwarder<SpanData> forwarder = forwarder(true, 1);
    remote.answer(Answer.PENDING);
    export(forwarder, "x", 1);
    soon().until(() -> remote.received.size() == 1);
    CompletableResultCode written = queue(forwarder, "y", 2); // copied: the breaker is closed
    remote.pending.get(0).fail();
    assertThat(forwarder.getCircuitState()).isEqualTo(CircuitState.OPEN);

    written.succeed();
    assertThat(counters.forwardSkippedItems.sum()).isEqualTo(2);
    assertThat(forwarder.availableSlots()).as("the slot is given back").isEqualTo(4);
    settle(forwarder);
    clock.advance(OPEN);
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 3);
    assertThat(remote.received).containsExactly(names("x", 1), names("x", 1), names("y", 2));
  }

  @Test
  void batchesSkippedWhileTheBreakerIsOpenAreCaughtUpOnceItCloses() throws IOException {
    Forwarder<SpanData> forwarder = forwarder(true, 1);
    remote.answer(Answer.PENDING);
    export(forwarder, "a", 1);
    soon().until(() -> remote.received.size() == 1);
    remote.pending.get(0).fail();
    settle(forwarder);
    assertThat(forwarder.getCircuitState()).isEqualTo(CircuitState.OPEN);
    long before = System.currentTimeMillis();
    export(forwarder, "b", 2);
    export(forwarder, "c", 3);
    settle(forwarder);

    assertThat(counters.forwardSkippedItems.sum()).isEqualTo(5);
    soon().until(() -> counters.backlogItems() == 6);
    assertThat(counters.backlogBytes()).isPositive();
    assertThat(counters.backlogAgeMillis())
        .isBetween(0L, System.currentTimeMillis() - before + 1_000);
    assertThat(remote.received).as("nothing while open").hasSize(1);

    clock.advance(OPEN);
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 6);
    assertThat(remote.received)
        .containsExactly(names("a", 1), names("a", 1), names("b", 2), names("c", 3));
    assertThat(forwarder.getCircuitState()).isEqualTo(CircuitState.CLOSED);
    assertThat(counters.backlogItems()).isZero();
    assertThat(messages(Level.INFO))
        .anyMatch(m -> m.contains("resumed") && m.contains("; 5 spans were not forwarded"));
  }

  @Test
  void aBatchWithoutAFilledTicketIsForwardedAndLeavesNoBacklog() throws IOException {
    Forwarder<SpanData> forwarder = forwarder(true, 5);
    remote.answer(Answer.FAIL, Answer.FAIL);
    List<SpanData> spans = TestSpans.batch("a", 2);
    CompletableResultCode written = new CompletableResultCode();
    forwarder.afterQueued(spans, 2, written, new RecordTicket());
    written.succeed();
    CompletableResultCode noTicket = new CompletableResultCode();
    forwarder.afterQueued(TestSpans.batch("b", 1), 1, noTicket);
    noTicket.succeed();
    remote.answer(Answer.REJECT);
    CompletableResultCode refused = new CompletableResultCode();
    forwarder.afterQueued(TestSpans.batch("c", 4), 4, refused);
    refused.succeed();
    settle(forwarder);

    assertThat(counters.forwardFailedItems.sum()).as("no record to settle: failed").isEqualTo(7);
    assertThat(counters.forwardRejectedItems.sum()).isZero();
    assertThat(counters.backlogItems()).isZero();
    assertThat(remote.received).hasSize(3);
  }

  @Test
  void shutdownStopsCatchUpAndSavesItsCheckpointBeforeTheDelegateIsShutDown() throws IOException {
    Forwarder<SpanData> forwarder = forwarder(true, 5);
    remote.answer(Answer.FAIL);
    export(forwarder, "a", 1);
    settle(forwarder);
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 1);
    AtomicBoolean lockFreeAtShutdown = new AtomicBoolean();
    remote.onShutdown =
        () -> {
          try (FileChannel channel =
              FileChannel.open(traces.resolve(CatchUp.LOCK_NAME), StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            lockFreeAtShutdown.set(lock != null);
          } catch (IOException | RuntimeException e) {
            lockFreeAtShutdown.set(false);
          }
        };

    CompletableResultCode local = new CompletableResultCode();
    CompletableResultCode shutdown = forwarder.shutdownAfter(local);
    assertThat(shutdown.join(100, TimeUnit.MILLISECONDS).isDone())
        .as("waits for the local shutdown")
        .isFalse();
    local.succeed();

    assertThat(shutdown.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(remote.shutdowns).hasValue(1);
    assertThat(lockFreeAtShutdown).as("catch-up had stopped").isTrue();
    assertThat(Files.exists(traces.resolve(Checkpoint.FILE_NAME))).isTrue();
    forwarders.clear();
  }

  @Test
  void aFailedLocalShutdownFailsTheShutdownWithCatchUpToo() throws IOException {
    Forwarder<SpanData> forwarder = forwarder(true, 5);
    CompletableResultCode local = new CompletableResultCode();
    CompletableResultCode shutdown = forwarder.shutdownAfter(local);
    local.fail();

    assertThat(shutdown.join(10, TimeUnit.SECONDS).isDone()).isTrue();
    assertThat(shutdown.isSuccess()).isFalse();
    assertThat(remote.shutdowns).as("the delegate is shut down all the same").hasValue(1);
    forwarders.clear();
  }
}
