package io.github.otlpfile.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.otlpfile.CircuitBreakerConfig;
import io.github.otlpfile.CircuitState;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.internal.ExporterCounters;
import io.github.otlpfile.internal.Signal;
import io.github.otlpfile.internal.buffer.RecordTicket;
import io.github.otlpfile.internal.encode.BatchEncoder;
import io.github.otlpfile.internal.encode.EncodedBuffer;
import io.github.otlpfile.internal.file.FileFolder;
import io.github.otlpfile.internal.file.FileNames;
import io.github.otlpfile.internal.file.TestSpans;
import io.github.otlpfile.internal.forward.FolderProgress.LiveOutcome;
import io.github.otlpfile.internal.forward.ScriptedRemote.Answer;
import io.github.otlpfile.support.LogCapture;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.zip.GZIPOutputStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catch-up of one folder, driven directly: files the library's encoder wrote into a real folder, a
 * delegate that answers as each test tells it, and the writer's and live forwarding's reports given
 * to the folder's progress as the exporter gives them.
 */
class CatchUpTest {
  private static final String OWN = "0123456789ab";
  private static final String OTHER = "ba9876543210";
  private static final Duration OPEN = Duration.ofSeconds(10);
  private static final double FAST = 1_000_000;

  @TempDir Path dir;
  @RegisterExtension final LogCapture logs = LogCapture.of(CatchUp.class.getName());

  private final TestClock clock = TestClock.create();
  private final ExporterCounters counters = new ExporterCounters();
  private final BatchEncoder<SpanData> encoder = BatchEncoder.forSpans(OtlpFileFormat.PROTOBUF);
  private final ScriptedRemote remote = new ScriptedRemote();
  private final List<CatchUp<SpanData>> started = new ArrayList<>();
  private final List<FileChannel> channels = new CopyOnWriteArrayList<>();
  private Path traces;

  @AfterEach
  void stopEverything() throws IOException {
    remote.completeAll(true);
    for (CatchUp<SpanData> catchUp : started) {
      assertThat(catchUp.stop().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    for (FileChannel channel : channels) {
      channel.close();
    }
  }

  // ---- files

  private static String name(int second, String instance, int seq) {
    return "traces-20250101T00000" + second + ".000Z-" + instance + "-" + seq + ".binpb";
  }

  private static FileNames.ParsedName parsed(String fileName) {
    return FileNames.parse("traces", fileName);
  }

  /** One record of {@code count} spans named {@code prefix-0}, … as the writer encodes it. */
  private byte[] record(String prefix, int count) throws IOException {
    EncodedBuffer buffer = encoder.encode(TestSpans.batch(prefix, count));
    byte[] bytes = buffer.toByteArray();
    encoder.recycle(buffer);
    return bytes;
  }

  private Path traces() throws IOException {
    if (traces == null) {
      traces = Files.createDirectories(dir.resolve("traces"));
    }
    return traces;
  }

  /** Writes (or extends) a file of records; returns the position of each record written. */
  private List<Long> write(String fileName, byte[]... records) throws IOException {
    Path file = traces().resolve(fileName);
    long position = Files.exists(file) ? Files.size(file) : 0;
    List<Long> positions = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] record : records) {
      positions.add(position);
      position += record.length;
      out.write(record);
    }
    Files.write(file, out.toByteArray(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    return positions;
  }

  /** Reports an own record as the writer does. */
  private RecordTicket written(
      CatchUp<SpanData> catchUp, String fileName, long position, byte[] record, int items)
      throws IOException {
    RecordTicket ticket = new RecordTicket();
    ticket.written(traces().resolve(fileName), position, record.length - 4, items);
    catchUp.getProgress().recordWritten(ticket);
    return ticket;
  }

  private FileLock lockExclusively(String fileName) throws IOException {
    FileChannel channel =
        FileChannel.open(
            traces().resolve(fileName), StandardOpenOption.READ, StandardOpenOption.WRITE);
    channels.add(channel);
    return channel.lock();
  }

  private Checkpoint checkpoint() {
    String[] problem = new String[1];
    Checkpoint checkpoint = Checkpoint.read(dir.resolve("traces"), problem);
    assertThat(checkpoint).as("%s", problem[0]).isNotNull();
    return checkpoint;
  }

  private static Checkpoint.FileEntry entry(Checkpoint checkpoint, String fileName) {
    for (Checkpoint.FileEntry entry : checkpoint.files) {
      if (entry.name.equals(fileName)) {
        return entry;
      }
    }
    return null;
  }

  // ---- catch-up

  private CircuitBreaker breaker(int threshold, AtomicReferenceCatchUp target) {
    return new CircuitBreaker(
        CircuitBreakerConfig.builder().setFailureThreshold(threshold).setOpenDuration(OPEN).build(),
        clock,
        (from, to) -> {
          if (to == CircuitState.CLOSED && target.catchUp != null) {
            target.catchUp.onBreakerClosed();
          }
        });
  }

  /** Where the breaker's listener finds the catch-up it tells about a closed breaker. */
  static final class AtomicReferenceCatchUp {
    volatile CatchUp<SpanData> catchUp;
  }

  private final class Setup {
    String instance = OWN;
    int threshold = 100;
    double rate = FAST;
    long timeoutMillis = 5_000;
    long idleMillis = CatchUp.IDLE_MILLIS;
    long pollMillis = CatchUp.POLL_MILLIS;
    Checkpoint.Storage storage = Checkpoint.DEFAULT_STORAGE;
    BacklogReader.Factory<SpanData> readers = BacklogReader.forSignal(Signal.TRACES);
    ExporterCounters counters = CatchUpTest.this.counters;
    ScriptedRemote remote = CatchUpTest.this.remote;
    CircuitBreaker breaker;

    CatchUp<SpanData> create() {
      AtomicReferenceCatchUp target = new AtomicReferenceCatchUp();
      if (breaker == null) {
        breaker = breaker(threshold, target);
      }
      CatchUp<SpanData> catchUp =
          new CatchUp<>(
              Signal.TRACES,
              new FileFolder(dir.resolve("traces"), "traces"),
              instance,
              remote.delegate(),
              breaker,
              counters,
              readers,
              storage,
              false,
              rate,
              timeoutMillis,
              idleMillis,
              pollMillis);
      target.catchUp = catchUp;
      started.add(catchUp);
      return catchUp;
    }

    CatchUp<SpanData> start() {
      CatchUp<SpanData> catchUp = create();
      catchUp.start();
      return catchUp;
    }
  }

  private static ConditionFactory soon() {
    return await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5));
  }

  private static void stop(CatchUp<SpanData> catchUp) {
    assertThat(catchUp.stop().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
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

  private static List<String> names(String prefix, int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add(prefix + "-" + i);
    }
    return names;
  }

  /** A setup that never looks at the folder by itself: only a wake makes it take a step. */
  private Setup asleep() {
    Setup setup = new Setup();
    setup.idleMillis = TimeUnit.HOURS.toMillis(1);
    setup.pollMillis = TimeUnit.HOURS.toMillis(1);
    return setup;
  }

  /** Whether a catch-up of this process holds the folder's lock (it took its first step). */
  private boolean lockHeldHere() throws IOException {
    try (FileChannel channel =
        FileChannel.open(traces().resolve(CatchUp.LOCK_NAME), StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        lock.release();
      }
      return false;
    } catch (java.nio.channels.OverlappingFileLockException e) {
      return true;
    } catch (java.nio.file.NoSuchFileException e) {
      return false;
    }
  }

  /** Where the checkpoint says {@code fileName} is settled up to, or -1. */
  private long settledBefore(String fileName) {
    String[] problem = new String[1];
    Checkpoint checkpoint = Checkpoint.read(dir.resolve("traces"), problem);
    Checkpoint.FileEntry entry = checkpoint == null ? null : entry(checkpoint, fileName);
    return entry == null ? -1 : entry.settledBefore;
  }

  /** Readers that count how many were opened and closed, and can fail their first read. */
  private static final class CountingReaders implements BacklogReader.Factory<SpanData> {
    final BacklogReader.Factory<SpanData> real = BacklogReader.forSignal(Signal.TRACES);
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final AtomicInteger failFirstReads = new AtomicInteger();

    @Override
    public BacklogReader<SpanData> open(Path file) {
      BacklogReader<SpanData> reader = real.open(file);
      opened.incrementAndGet();
      boolean fail = failFirstReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
      return new BacklogReader<SpanData>() {
        boolean failing = fail;

        @Override
        public Record<SpanData> next() {
          if (failing) {
            failing = false;
            throw new IllegalStateException("read failed");
          }
          return reader.next();
        }

        @Override
        public void close() {
          closed.incrementAndGet();
          reader.close();
        }
      };
    }
  }

  /**
   * The files under the test's folder this process has open, where {@code /proc/self/fd} tells;
   * {@code null} elsewhere.
   */
  private List<Path> openHere() throws IOException {
    Path fds = Paths.get("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return null;
    }
    List<Path> open = new ArrayList<>();
    try (java.util.stream.Stream<Path> links = Files.list(fds)) {
      for (Path link : (Iterable<Path>) links::iterator) {
        try {
          Path target = Files.readSymbolicLink(link);
          if (target.startsWith(dir.toRealPath())) {
            open.add(target);
          }
        } catch (IOException e) {
          // closed meanwhile (the descriptor of the listing itself, say)
        }
      }
    }
    return open;
  }

  // ---- tests

  @Test
  void aRecordJoiningTheBacklogWakesCatchUpOutOfALongWait() throws IOException {
    String file = name(1, OWN, 1);
    String next = name(2, OWN, 2);
    byte[] a = record("a", 2);
    List<Long> at = write(file, a);
    write(next, record("n", 1));
    CatchUp<SpanData> catchUp = asleep().create();
    FolderProgress progress = catchUp.getProgress();
    RecordTicket ta = written(catchUp, file, at.get(0), a, 2);
    progress.writerAt(traces().resolve(next));
    catchUp.start();
    // The first step finds only a record live forwarding still has, and plans the next an hour on.
    soon().until(this::lockHeldHere);

    progress.liveSettled(ta, LiveOutcome.UNDELIVERED);
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 2);
    assertThat(remote.received).containsExactly(names("a", 2));
  }

  @Test
  void eachRecordLiveForwardingDeliversIsSavedInTheCheckpointWithoutAStep() throws IOException {
    String file = name(1, OWN, 1);
    String next = name(2, OWN, 2);
    byte[] a = record("a", 1);
    byte[] b = record("b", 1);
    List<Long> at = write(file, a, b);
    write(next, record("n", 1));
    CatchUp<SpanData> catchUp = asleep().create();
    FolderProgress progress = catchUp.getProgress();
    RecordTicket ta = written(catchUp, file, at.get(0), a, 1);
    RecordTicket tb = written(catchUp, file, at.get(1), b, 1);
    progress.writerAt(traces().resolve(next));
    catchUp.start();
    soon().until(this::lockHeldHere);
    long before = settledBefore(file);
    assertThat(before).as("nothing delivered yet").isLessThanOrEqualTo(at.get(0));

    progress.liveSettled(ta, LiveOutcome.DELIVERED);
    soon().until(() -> settledBefore(file) > at.get(0));
    assertThat(settledBefore(file)).isLessThanOrEqualTo(at.get(1));
    // A second delivery, after the first save ran, is saved too.
    progress.liveSettled(tb, LiveOutcome.DELIVERED);
    soon().until(() -> settledBefore(file) > at.get(1));
    assertThat(remote.received).as("nothing for catch-up to send").isEmpty();
  }

  @Test
  void sendsEveryRecordOfOthersFilesOnceOldestFirstAndSavesTheWatermark() throws IOException {
    String second = name(2, OTHER, 2);
    String first = name(1, OTHER, 1);
    write(second, record("c", 1));
    write(first, record("a", 2), record("b", 3));
    Setup setup = new Setup();

    CatchUp<SpanData> catchUp = setup.start();
    soon().until(() -> parsed(second).equals(catchUp.getProgress().getWatermark()));

    assertThat(remote.received).containsExactly(names("a", 2), names("b", 3), names("c", 1));
    assertThat(counters.forwardFoundItems.sum()).isEqualTo(6);
    assertThat(counters.forwardCaughtUpItems.sum()).isEqualTo(6);
    assertThat(counters.forwardFoundBacklogSettled.sum()).isEqualTo(6);
    assertThat(counters.forwardRejectedItems.sum()).isZero();
    assertThat(setup.breaker.getState()).isEqualTo(CircuitState.CLOSED);
    stop(catchUp);
    Checkpoint checkpoint = checkpoint();
    assertThat(checkpoint.watermark).isEqualTo(second);
    assertThat(checkpoint.files).isEmpty();
    // The lock is released: another process could take it now.
    try (FileChannel channel =
        FileChannel.open(
            dir.resolve("traces").resolve(CatchUp.LOCK_NAME), StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      assertThat(lock).isNotNull();
      lock.release();
    }
  }

  @Test
  void aRestartSendsOnlyWhatTheCheckpointDoesNotListAsDelivered() throws IOException {
    String old = name(1, OTHER, 1);
    String partly = name(2, OTHER, 2);
    write(old, record("old", 2));
    List<Long> at =
        write(partly, record("r0", 1), record("r1", 2), record("r2", 1), record("r3", 3));
    // Delivered before: everything up to old, r0 (before r1's position) and r2 (listed).
    new Checkpoint(
            old,
            Collections.singletonList(
                new Checkpoint.FileEntry(partly, at.get(1), new TreeSet<>(List.of(at.get(2))))))
        .write(traces(), Checkpoint.DEFAULT_STORAGE, false);

    CatchUp<SpanData> catchUp = new Setup().start();
    soon().until(() -> parsed(partly).equals(catchUp.getProgress().getWatermark()));

    assertThat(remote.received).containsExactly(names("r1", 2), names("r3", 3));
    assertThat(counters.forwardFoundItems.sum()).isEqualTo(5);
    assertThat(counters.forwardCaughtUpItems.sum()).isEqualTo(5);
  }

  @Test
  void aDamagedCheckpointStartsAgainFromTheOldestFile() throws IOException {
    String file = name(1, OTHER, 1);
    write(file, record("a", 1), record("b", 1));
    Files.write(
        traces().resolve(Checkpoint.FILE_NAME),
        "not a checkpoint\n".getBytes(StandardCharsets.UTF_8));

    CatchUp<SpanData> catchUp = new Setup().start();
    soon().until(() -> parsed(file).equals(catchUp.getProgress().getWatermark()));
    stop(catchUp);

    assertThat(remote.received).containsExactly(names("a", 1), names("b", 1));
    assertThat(messages(Level.WARNING)).anyMatch(m -> m.contains("checkpoint is damaged"));
    assertThat(checkpoint().watermark).as("written anew").isEqualTo(file);
  }

  @Test
  void aRetryableFailureIsSentAgainAfterABackoffThatDoublesAndFileOrderHolds() throws IOException {
    String file = name(1, OTHER, 1);
    write(file, record("a", 2), record("b", 1));
    remote.answer(Answer.FAIL, Answer.THROW, Answer.RETURN_NULL);

    CatchUp<SpanData> catchUp = new Setup().start();
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 3);

    assertThat(remote.received)
        .containsExactly(names("a", 2), names("a", 2), names("a", 2), names("a", 2), names("b", 1));
    List<Long> at = remote.callNanos;
    long millis = TimeUnit.MILLISECONDS.toNanos(1);
    assertThat(at.get(1) - at.get(0)).as("first backoff").isGreaterThanOrEqualTo(200 * millis);
    assertThat(at.get(2) - at.get(1)).as("doubled").isGreaterThanOrEqualTo(400 * millis);
    assertThat(at.get(3) - at.get(2)).as("doubled again").isGreaterThanOrEqualTo(800 * millis);
    assertThat(counters.forwardFoundItems.sum()).as("found once").isEqualTo(3);
    assertThat(counters.forwardRejectedItems.sum()).isZero();
    stop(catchUp);
  }

  @Test
  void withoutIdleStepsEachSettledBatchPlansTheNextAndAFailedOneItsRetry() throws IOException {
    write(name(1, OTHER, 1), record("a", 2), record("b", 1));
    write(name(2, OTHER, 2), record("c", 1));
    remote.answer(Answer.UNAVAILABLE);

    // Nothing but the step a settled batch plans can move catch-up from one batch to the next.
    asleep().start();
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 4);

    assertThat(remote.received)
        .containsExactly(names("a", 2), names("a", 2), names("b", 1), names("c", 1));
    assertThat(remote.callNanos.get(1) - remote.callNanos.get(0))
        .as("the retry waits out the first backoff")
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
  }

  @Test
  void aWakeDuringABackoffStillWaitsItOut() throws IOException {
    write(name(1, OTHER, 1), record("a", 1));
    remote.answer(Answer.PENDING);
    CatchUp<SpanData> catchUp = asleep().start();
    soon().until(() -> remote.pending.size() == 1);

    long failedAt = System.nanoTime();
    remote.pending.get(0).fail();
    // The backlog grew, say: the step this asks for comes inside the backoff, and must plan the
    // retry for its end instead of sending at once or planning nothing.
    catchUp.wake();
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 1);

    assertThat(remote.received).containsExactly(names("a", 1), names("a", 1));
    assertThat(remote.callNanos.get(1) - failedAt)
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
  }

  @Test
  void aSuccessEndsTheBackoffSoTheNextFailureWaitsTheShortestTimeAgain() throws IOException {
    String file = name(1, OTHER, 1);
    write(file, record("a", 1), record("b", 1));
    remote.answer(Answer.FAIL, Answer.FAIL, Answer.SUCCEED, Answer.FAIL);

    CatchUp<SpanData> catchUp = new Setup().start();
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 2);

    assertThat(remote.flat()).containsExactly("a-0", "a-0", "a-0", "b-0", "b-0");
    List<Long> at = remote.callNanos;
    assertThat(at.get(4) - at.get(3))
        .as("back to the first backoff, not the doubled one")
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200))
        .isLessThan(at.get(2) - at.get(1) + TimeUnit.MILLISECONDS.toNanos(150));
    stop(catchUp);
  }

  @Test
  void aTimedOutBatchIsSentAgainAndItsLateAnswerIsIgnored() throws IOException {
    String file = name(1, OTHER, 1);
    write(file, record("a", 3));
    remote.answer(Answer.PENDING);
    Setup setup = new Setup();
    setup.timeoutMillis = 50;
    setup.threshold = 1;

    CatchUp<SpanData> catchUp = setup.start();
    soon().until(() -> setup.breaker.getState() == CircuitState.OPEN);
    assertThat(counters.forwardCaughtUpItems.sum()).isZero();
    assertThat(remote.received).hasSize(1);

    clock.advance(OPEN);
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 3);
    remote.completeAll(true); // the first answer, long after its time-out
    stop(catchUp);

    assertThat(remote.received).containsExactly(names("a", 3), names("a", 3));
    assertThat(messages(Level.FINE))
        .contains(
            "Catch-up of "
                + new FileFolder(dir.resolve("traces"), "traces")
                + " failed to send 3 spans (timed out); trying again in 200 ms");
    assertThat(counters.forwardCaughtUpItems.sum()).as("counted once").isEqualTo(3);
    assertThat(setup.breaker.getState()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aLateAnswerAfterTheNextRecordWasSentChangesNothing() throws IOException {
    String file = name(1, OTHER, 1);
    write(file, record("a", 1), record("b", 2));
    remote.answer(Answer.PENDING, Answer.SUCCEED, Answer.PENDING);
    Setup setup = new Setup();
    setup.timeoutMillis = 1500;

    CatchUp<SpanData> catchUp = setup.start();
    // The remote records a call before it keeps its pending result: wait for both.
    soon().until(() -> remote.received.size() == 3 && remote.pending.size() == 2);
    // a timed out, was sent again and delivered; b is in flight. a's first answer comes late,
    // then b's (both well within b's time-out).
    remote.pending.get(0).succeed();
    remote.pending.get(1).succeed();
    soon().until(() -> parsed(file).equals(catchUp.getProgress().getWatermark()));
    stop(catchUp);

    assertThat(remote.flat()).containsExactly("a-0", "a-0", "b-0", "b-1");
    assertThat(counters.forwardCaughtUpItems.sum()).isEqualTo(3);
  }

  @Test
  void aPermanentRejectionIsCountedAsRejectedAndCatchUpMovesOn() throws IOException {
    String file = name(1, OTHER, 1);
    write(file, record("a", 2), record("b", 1));
    // A retryable failure, then the rejection: an answer, so the failure count starts again and
    // b's failure alone does not open the breaker.
    remote.answer(Answer.FAIL, Answer.REJECT, Answer.FAIL);
    Setup setup = new Setup();
    setup.threshold = 2;

    CatchUp<SpanData> catchUp = setup.start();
    soon().until(() -> parsed(file).equals(catchUp.getProgress().getWatermark()));
    stop(catchUp);

    assertThat(remote.flat()).containsExactly("a-0", "a-1", "a-0", "a-1", "b-0", "b-0");
    assertThat(counters.forwardCaughtUpItems.sum()).isEqualTo(1);
    assertThat(counters.forwardRejectedItems.sum()).isEqualTo(2);
    assertThat(counters.forwardFoundBacklogSettled.sum()).as("a and b").isEqualTo(3);
    assertThat(setup.breaker.getState()).isEqualTo(CircuitState.CLOSED);
    assertThat(checkpoint().watermark).as("both settled").isEqualTo(file);
  }

  @Test
  void aRejectionIsLoggedAsAWarningAndNotSentAgain() throws IOException {
    String file = name(1, OTHER, 1);
    write(file, record("a", 2));
    remote.answer(Answer.REJECT);

    CatchUp<SpanData> catchUp = new Setup().start();
    soon().until(() -> parsed(file).equals(catchUp.getProgress().getWatermark()));

    assertThat(remote.received).containsExactly(names("a", 2));
    assertThat(counters.forwardRejectedItems.sum()).isEqualTo(2);
    assertThat(counters.forwardCaughtUpItems.sum()).isZero();
    assertThat(messages(Level.WARNING))
        .anyMatch(m -> m.contains("rejected 2 spans") && m.contains("for good"));
  }

  @Test
  void sendsNothingWhileTheBreakerIsOpenAndProbesOnceItsOpenDurationHasPassed() throws IOException {
    String file = name(1, OTHER, 1);
    write(file, record("a", 1), record("b", 1));
    Setup setup = new Setup();
    setup.threshold = 1;
    CatchUp<SpanData> catchUp = setup.create();
    setup.breaker.onFailure(setup.breaker.tryAcquire());
    assertThat(setup.breaker.getState()).isEqualTo(CircuitState.OPEN);

    catchUp.start();
    soon().until(() -> counters.forwardFoundItems.sum() == 1);
    assertThat(remote.received).as("held back by the open breaker").isEmpty();

    clock.advance(OPEN);
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 2);
    assertThat(remote.received).containsExactly(names("a", 1), names("b", 1));
    assertThat(setup.breaker.getState()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void theBreakerClosingEndsALongBackoffAtOnce() throws IOException {
    String file = name(1, OTHER, 1);
    write(file, record("a", 1));
    remote.answer(Answer.FAIL, Answer.FAIL, Answer.FAIL, Answer.FAIL);
    Setup setup = new Setup();
    CatchUp<SpanData> catchUp = setup.start();
    // Four failures: the next try is 1.6 s away.
    soon().until(() -> remote.received.size() == 4);
    long fourth = System.nanoTime();

    // Live forwarding's probe succeeds elsewhere: the breaker reports that it closed.
    catchUp.onBreakerClosed();
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 1);
    assertThat(System.nanoTime() - fourth).isLessThan(TimeUnit.MILLISECONDS.toNanos(1_000));
  }

  @Test
  void ownRecordsAreSentOnlyWhenLiveForwardingLeftThemToTheBacklog() throws IOException {
    String file = name(1, OWN, 1);
    String next = name(2, OWN, 2);
    byte[] a = record("a", 2);
    byte[] b = record("b", 3);
    byte[] c = record("c", 1);
    List<Long> at = write(file, a, b, c);
    write(next, record("n", 1));
    CatchUp<SpanData> catchUp = new Setup().create();
    FolderProgress progress = catchUp.getProgress();
    catchUp.start();
    RecordTicket ta = written(catchUp, file, at.get(0), a, 2);
    RecordTicket tb = written(catchUp, file, at.get(1), b, 3);
    RecordTicket tc = written(catchUp, file, at.get(2), c, 1);
    progress.writerAt(traces().resolve(next)); // the writer moved on to the next file
    progress.liveSettled(ta, LiveOutcome.DELIVERED);
    remote.answer(Answer.PENDING); // the backlog stays until catch-up's send is answered
    progress.liveSettled(tb, LiveOutcome.UNDELIVERED);
    assertThat(progress.getBacklogItems()).isEqualTo(3);

    soon().until(() -> remote.pending.size() == 1);
    assertThat(progress.getBacklogItems()).isEqualTo(3);
    remote.pending.get(0).succeed();
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 3);
    assertThat(remote.received).containsExactly(names("b", 3));
    assertThat(progress.getBacklogItems()).isZero();

    progress.liveSettled(tc, LiveOutcome.UNDELIVERED);
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 4);
    soon().until(() -> parsed(file).equals(progress.getWatermark()));
    assertThat(remote.received).containsExactly(names("b", 3), names("c", 1));
    assertThat(counters.forwardFoundItems.sum()).as("own records are not found").isZero();
    assertThat(counters.forwardFoundBacklogSettled.sum()).isZero();
    assertThat(progress.getBacklogItems()).isZero();
    stop(catchUp);
    assertThat(checkpoint().watermark).isEqualTo(file);
  }

  @Test
  void aRecordLiveForwardingDeliversWhileCatchUpWaitsAtItLetsCatchUpGoOn() throws IOException {
    String file = name(1, OWN, 1);
    String next = name(2, OWN, 2);
    byte[] a = record("a", 1);
    byte[] b = record("b", 2);
    List<Long> at = write(file, a, b);
    write(next, record("n", 1));
    CatchUp<SpanData> catchUp = new Setup().create();
    FolderProgress progress = catchUp.getProgress();
    catchUp.start();
    RecordTicket ta = written(catchUp, file, at.get(0), a, 1);
    RecordTicket tb = written(catchUp, file, at.get(1), b, 2);
    progress.writerAt(traces().resolve(next));
    progress.liveSettled(tb, LiveOutcome.UNDELIVERED);
    // Catch-up reads a first, which live forwarding still has: it waits there.
    soon().until(() -> progress.ownFileWork(parsed(file)) == FolderProgress.Verdict.SEND);

    progress.liveSettled(ta, LiveOutcome.DELIVERED); // no backlog: nothing wakes catch-up
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 2);
    assertThat(remote.received).containsExactly(names("b", 2));
  }

  @Test
  void anOwnFileStillBeingWrittenIsReadAgainForTheRecordsAddedLater() throws IOException {
    String file = name(1, OWN, 1);
    byte[] a = record("a", 1);
    byte[] b = record("b", 2);
    CatchUp<SpanData> catchUp = new Setup().start();
    FolderProgress progress = catchUp.getProgress();
    long first = write(file, a).get(0);
    progress.liveSettled(written(catchUp, file, first, a, 1), LiveOutcome.UNDELIVERED);
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 1);

    long second = write(file, b).get(0);
    progress.liveSettled(written(catchUp, file, second, b, 2), LiveOutcome.UNDELIVERED);
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 3);

    assertThat(remote.received).containsExactly(names("a", 1), names("b", 2));
    assertThat(progress.getWatermark()).as("the writer is still on it").isNull();
  }

  @Test
  void aFileAWriterStillHoldsWaitsWhileLaterFilesAreSent() throws IOException {
    String held = name(1, OTHER, 1);
    String later = name(2, OTHER, 2);
    write(held, record("held", 1));
    write(later, record("later", 1));
    FileLock lock = lockExclusively(held);

    CatchUp<SpanData> catchUp = new Setup().start();
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 1);
    assertThat(remote.received).containsExactly(names("later", 1));
    assertThat(catchUp.getProgress().getWatermark()).as("the held file is pending").isNull();

    lock.release();
    soon().until(() -> parsed(later).equals(catchUp.getProgress().getWatermark()));
    assertThat(remote.received).containsExactly(names("later", 1), names("held", 1));
  }

  @Test
  void aFileAWriterOfAnotherProcessHoldsWaitsUntilThatProcessLetsGo() throws Exception {
    String held = name(1, OTHER, 1);
    String later = name(2, OTHER, 2);
    write(held, record("held", 1));
    write(later, record("later", 1));
    Process holder =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LockHolder.class.getName(),
                traces().resolve(held).toString())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("locked true");

      CatchUp<SpanData> catchUp = new Setup().start();
      soon().until(() -> counters.forwardCaughtUpItems.sum() >= 1);
      assertThat(remote.received).as("the held file is left").containsExactly(names("later", 1));

      holder.getOutputStream().close(); // the other process ends, and its lock with it
      assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
      soon().until(() -> parsed(later).equals(catchUp.getProgress().getWatermark()));
      assertThat(remote.received).containsExactly(names("later", 1), names("held", 1));
    } finally {
      holder.destroyForcibly();
    }
  }

  @Test
  void aFileAWriterTakesBackWhileItIsReadIsReadAgainOnceItLetsGo() throws IOException {
    String file = name(1, OTHER, 1);
    write(file, record("a", 1));
    AtomicReferenceLock lock = new AtomicReferenceLock();
    remote.onExport =
        () -> {
          if (lock.lock == null) {
            try {
              lock.lock = lockExclusively(file); // the writer opens it again
              write(file, record("b", 1)); // and appends a record while it holds it
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
          }
        };

    CatchUp<SpanData> catchUp = new Setup().start();
    soon().until(() -> counters.forwardCaughtUpItems.sum() >= 1);
    assertThat(catchUp.getProgress().getWatermark()).as("the writer still has it").isNull();
    lock.lock.release();
    soon().until(() -> parsed(file).equals(catchUp.getProgress().getWatermark()));

    assertThat(remote.received).containsExactly(names("a", 1), names("b", 1));
  }

  static final class AtomicReferenceLock {
    volatile FileLock lock;
  }

  @Test
  void aCompressedFileIsReadFromItsGzipForm() throws IOException {
    String file = name(1, OTHER, 1);
    byte[] a = record("a", 2);
    try (OutputStream out =
        new GZIPOutputStream(
            Files.newOutputStream(traces().resolve(FileNames.compressedName(file))))) {
      out.write(a);
    }

    CatchUp<SpanData> catchUp = new Setup().start();
    soon().until(() -> parsed(file).equals(catchUp.getProgress().getWatermark()));
    assertThat(remote.received).containsExactly(names("a", 2));
  }

  @Test
  void stopWaitsForTheBatchInFlightThenSavesTheCheckpointAndReleasesTheLock() throws IOException {
    String file = name(1, OTHER, 1);
    List<Long> at = write(file, record("a", 1), record("b", 1));
    remote.answer(Answer.PENDING);
    Setup setup = new Setup();
    CountingReaders readers = new CountingReaders();
    setup.readers = readers;
    CatchUp<SpanData> catchUp = setup.start();
    soon().until(() -> remote.received.size() == 1);

    CompletableResultCode stopped = catchUp.stop();
    assertThat(stopped.join(300, TimeUnit.MILLISECONDS).isDone())
        .as("the batch is still in flight")
        .isFalse();
    remote.pending.get(0).succeed();
    assertThat(stopped.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    assertThat(remote.received).as("nothing sent after the stop").hasSize(1);
    assertThat(counters.forwardCaughtUpItems.sum()).isEqualTo(1);
    assertThat(entry(checkpoint(), file).settledBefore).isEqualTo(at.get(0) + 1);
    try (FileChannel channel =
        FileChannel.open(traces().resolve(CatchUp.LOCK_NAME), StandardOpenOption.WRITE)) {
      assertThat(channel.tryLock()).as("released").isNotNull();
    }
    assertThat(readers.opened).hasValue(1);
    assertThat(readers.closed).as("the reader of the record in flight").hasValue(1);
    List<Path> open = openHere();
    if (open != null) {
      assertThat(open).as("neither the lock file nor the file read is left open").isEmpty();
    }
    // Stopped for good: a wake or a closed breaker sends nothing more.
    catchUp.wake();
    catchUp.onBreakerClosed();
    assertThat(catchUp.stop().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(remote.received).hasSize(1);
  }

  @Test
  void aCheckpointThatCannotBeWrittenIsCountedAndWrittenAgainAtTheNextChange() throws IOException {
    String file = name(1, OTHER, 1);
    List<Long> at = write(file, record("a", 1), record("b", 1));
    AtomicBoolean full = new AtomicBoolean(true);
    AtomicInteger writes = new AtomicInteger();
    remote.answer(Answer.SUCCEED, Answer.PENDING);
    Setup setup = new Setup();
    setup.storage =
        new Checkpoint.Storage() {
          @Override
          public FileChannel openTemporary(Path path) throws IOException {
            if (full.get()) {
              throw new IOException("No space left on device");
            }
            writes.incrementAndGet();
            return Checkpoint.DEFAULT_STORAGE.openTemporary(path);
          }

          @Override
          public void replace(Path temporary, Path target) throws IOException {
            Checkpoint.DEFAULT_STORAGE.replace(temporary, target);
          }
        };
    CatchUp<SpanData> catchUp = setup.start();
    soon().until(() -> remote.received.size() == 2);
    assertThat(counters.checkpointFailures.sum()).isPositive();
    assertThat(catchUp.getProgress().isDirty()).as("still to be saved").isTrue();
    assertThat(messages(Level.WARNING))
        .anyMatch(m -> m.contains("Cannot write the forwarding checkpoint"));
    assertThat(Files.exists(traces().resolve(Checkpoint.FILE_NAME))).isFalse();

    full.set(false);
    remote.pending.get(0).succeed();
    soon().until(() -> Files.exists(traces().resolve(Checkpoint.FILE_NAME)));
    soon().until(() -> messages(Level.INFO).stream().anyMatch(m -> m.contains("written again")));
    assertThat(writes.get()).isPositive();
    Checkpoint.FileEntry entry = entry(checkpoint(), file);
    if (entry != null) {
      assertThat(entry.settledBefore).isGreaterThan(at.get(1));
    } else {
      assertThat(checkpoint().watermark).isEqualTo(file);
    }
  }

  @Test
  void anotherCatchUpOfTheFolderWaitsForTheLockAndTakesOverOnceItIsFree() throws IOException {
    write(name(1, OTHER, 1), record("a", 1));
    CatchUp<SpanData> first = new Setup().start();
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 1);
    Setup otherSetup = new Setup();
    otherSetup.instance = "aaaaaaaaaaaa";
    otherSetup.counters = new ExporterCounters();
    otherSetup.remote = new ScriptedRemote();
    CatchUp<SpanData> second = otherSetup.start();

    write(name(2, OTHER, 2), record("b", 1));
    first.wake();
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 2);
    stop(first);
    assertThat(otherSetup.remote.received).as("the lock holder sends").isEmpty();

    String last = name(3, OTHER, 3);
    write(last, record("c", 1));
    soon().until(() -> parsed(last).equals(second.getProgress().getWatermark()));
    assertThat(otherSetup.remote.received).containsExactly(names("c", 1));
    assertThat(otherSetup.counters.forwardFoundItems.sum()).isEqualTo(1);
    assertThat(remote.flat()).containsExactly("a-0", "b-0");
  }

  @Test
  void catchUpCreatesAMissingFolderAndSendsWhatAppearsInIt() throws IOException {
    CatchUp<SpanData> catchUp = new Setup().start();
    soon().until(() -> Files.isDirectory(dir.resolve("traces")));
    String file = name(1, OTHER, 1);
    write(file, record("a", 1));
    soon().until(() -> parsed(file).equals(catchUp.getProgress().getWatermark()));
    assertThat(remote.received).containsExactly(names("a", 1));
  }

  @Test
  void paceTheBatchesToTheRate() throws IOException {
    String file = name(1, OTHER, 1);
    write(file, record("a", 5), record("b", 5), record("c", 5));
    Setup setup = new Setup();
    setup.rate = 20; // 5 items: one batch every 250 ms

    CatchUp<SpanData> catchUp = setup.start();
    soon().until(() -> counters.forwardCaughtUpItems.sum() == 15);

    List<Long> at = remote.callNanos;
    assertThat(at.get(1) - at.get(0)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
    assertThat(at.get(2) - at.get(1)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
    stop(catchUp);
  }

  @Test
  void aRecordWhoseFileRetentionDeletedWhileItWasSentIsExpiredWhenTheSendFails()
      throws IOException {
    String file = name(1, OWN, 1);
    String next = name(2, OWN, 2);
    byte[] a = record("a", 4);
    byte[] b = record("b", 1);
    List<Long> at = write(file, a, b);
    write(next, record("n", 1));
    remote.answer(Answer.PENDING);
    CatchUp<SpanData> catchUp = new Setup().create();
    FolderProgress progress = catchUp.getProgress();
    catchUp.start();
    RecordTicket ta = written(catchUp, file, at.get(0), a, 4);
    RecordTicket tb = written(catchUp, file, at.get(1), b, 1);
    progress.writerAt(traces().resolve(next));
    progress.liveSettled(ta, LiveOutcome.UNDELIVERED);
    progress.liveSettled(tb, LiveOutcome.UNDELIVERED);
    soon().until(() -> remote.received.size() == 1);

    // Retention deletes the file while a is with the remote; b is lost at once.
    Files.delete(traces().resolve(file));
    progress.deleted(traces().resolve(file));
    assertThat(counters.forwardExpiredItems.sum()).isEqualTo(1);
    remote.pending.get(0).fail();
    soon().until(() -> counters.forwardExpiredItems.sum() == 5);

    assertThat(progress.getBacklogItems()).isZero();
    assertThat(counters.forwardCaughtUpItems.sum()).isZero();
    stop(catchUp);
    assertThat(remote.received).containsExactly(names("a", 4));
  }

  @Test
  void aReaderThatFailsIsLoggedAndTriedAgain() throws IOException {
    String file = name(1, OTHER, 1);
    write(file, record("a", 1));
    AtomicInteger opens = new AtomicInteger();
    Setup setup = new Setup();
    BacklogReader.Factory<SpanData> real = setup.readers;
    setup.readers =
        path -> {
          if (opens.incrementAndGet() == 1) {
            throw new IllegalStateException("cannot read " + path);
          }
          return real.open(path);
        };

    CatchUp<SpanData> catchUp = setup.start();
    soon().until(() -> parsed(file).equals(catchUp.getProgress().getWatermark()));
    assertThat(remote.received).containsExactly(names("a", 1));
    assertThat(messages(Level.WARNING))
        .anyMatch(m -> m.contains("Catch-up of") && m.contains("tries again shortly"));
  }

  @Test
  void aReaderThatFailsInTheMiddleOfAFileIsClosedAndAFreshOneReadsOn() throws IOException {
    String file = name(1, OTHER, 1);
    write(file, record("a", 1), record("b", 1));
    Setup setup = new Setup();
    CountingReaders readers = new CountingReaders();
    readers.failFirstReads.set(1);
    setup.readers = readers;

    CatchUp<SpanData> catchUp = setup.start();
    soon().until(() -> parsed(file).equals(catchUp.getProgress().getWatermark()));
    stop(catchUp);

    assertThat(remote.received).containsExactly(names("a", 1), names("b", 1));
    assertThat(readers.opened).as("the failed reader is not read again").hasValue(2);
    assertThat(readers.closed).hasValue(2);
    assertThat(messages(Level.WARNING))
        .singleElement()
        .satisfies(m -> assertThat(m).contains("read failed", "tries again shortly"));
  }

  @Test
  void aFolderWithNothingToSendIsLookedAtWithoutAWarning() throws IOException {
    traces();
    CatchUp<SpanData> catchUp = asleep().start();
    soon().until(this::lockHeldHere);
    stop(catchUp); // runs after the first step

    assertThat(messages(Level.WARNING)).isEmpty();
    assertThat(remote.received).isEmpty();
  }

  @Test
  void aSettledBatchIsInTheCheckpointBeforeThePacedNextStep() throws IOException {
    String file = name(1, OTHER, 1);
    List<Long> at = write(file, record("a", 1), record("b", 1));
    Setup setup = asleep();
    setup.rate = 0.05; // one span per 20 s: the next step is 20 s away

    setup.start();
    soon().until(() -> settledBefore(file) == at.get(0) + 1);
    assertThat(remote.received).containsExactly(names("a", 1));
  }
}
