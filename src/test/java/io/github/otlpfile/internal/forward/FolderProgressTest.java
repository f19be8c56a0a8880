package io.github.otlpfile.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.internal.ExporterCounters;
import io.github.otlpfile.internal.buffer.RecordTicket;
import io.github.otlpfile.internal.file.FileNames;
import io.github.otlpfile.internal.forward.FolderProgress.LiveOutcome;
import io.github.otlpfile.internal.forward.FolderProgress.Verdict;
import io.github.otlpfile.support.LogCapture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bookkeeping of what has been delivered from one folder, driven as the writer, live forwarding
 * and catch-up drive it.
 */
class FolderProgressTest {
  private static final String OWN = "0123456789ab";
  private static final String OTHER = "ba9876543210";

  @TempDir Path dir;
  @RegisterExtension final LogCapture logs = LogCapture.of(FolderProgress.class.getName());

  private final ExporterCounters counters = new ExporterCounters();
  private final AtomicInteger backlogCalls = new AtomicInteger();
  private final AtomicInteger deliveredCalls = new AtomicInteger();
  private final FolderProgress progress =
      new FolderProgress(
          "traces", OWN, counters, backlogCalls::incrementAndGet, deliveredCalls::incrementAndGet);

  private static String name(int second, String instance, int seq) {
    return "traces-20250101T00000" + second + ".000Z-" + instance + "-" + seq + ".binpb";
  }

  private static FileNames.ParsedName parsed(String fileName) {
    return FileNames.parse("traces", fileName);
  }

  private RecordTicket written(String fileName, long position, long bytes, int items) {
    RecordTicket ticket = new RecordTicket();
    ticket.written(dir.resolve(fileName), position, bytes, items);
    progress.recordWritten(ticket);
    return ticket;
  }

  private List<FileNames.ParsedName> listing(String... names) {
    FileNames.ParsedName[] parsed = new FileNames.ParsedName[names.length];
    for (int i = 0; i < names.length; i++) {
      parsed[i] = parsed(names[i]);
    }
    return Arrays.asList(parsed);
  }

  private static Checkpoint.FileEntry entry(Checkpoint checkpoint, String fileName) {
    for (Checkpoint.FileEntry entry : checkpoint.files) {
      if (entry.name.equals(fileName)) {
        return entry;
      }
    }
    return null;
  }

  private List<String> warnings() {
    return logs.records().stream()
        .filter(r -> r.getLevel().equals(Level.WARNING))
        .map(r -> r.getMessage())
        .collect(Collectors.toList());
  }

  @Test
  void settledOwnRecordsAreFoldedIntoThePrefixSoMemoryStaysWithWhatIsUnsettled() {
    String others = name(1, OTHER, 1);
    progress.restore(
        new Checkpoint(
            null,
            Collections.singletonList(
                new Checkpoint.FileEntry(others, 0, new TreeSet<>(Arrays.asList(10L, 20L))))));
    assertThat(progress.recordsKept()).as("settled past the prefix").isEqualTo(2);
    assertThat(progress.caughtUp(parsed(others), 20)).isFalse();
    assertThat(progress.recordsKept()).as("the prefix now covers both").isZero();

    String file = name(2, OWN, 1);
    List<RecordTicket> tickets = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      tickets.add(written(file, i * 10L, 6, 1));
    }
    assertThat(progress.recordsKept()).isEqualTo(100);

    // Live forwarding settles them out of order: the first one holds the rest back.
    for (int i = 99; i >= 1; i--) {
      progress.liveSettled(tickets.get(i), LiveOutcome.DELIVERED);
    }
    assertThat(progress.recordsKept()).isEqualTo(100);
    progress.liveSettled(tickets.get(0), LiveOutcome.DELIVERED);
    assertThat(progress.recordsKept()).isZero();

    // Records live forwarding left to the backlog, caught up in order by catch-up.
    List<RecordTicket> later = new ArrayList<>();
    for (int i = 100; i < 110; i++) {
      later.add(written(file, i * 10L, 6, 1));
    }
    for (RecordTicket ticket : later) {
      progress.liveSettled(ticket, LiveOutcome.UNDELIVERED);
    }
    for (int i = 100; i < 110; i++) {
      assertThat(progress.caughtUp(parsed(file), i * 10L)).isTrue();
    }
    assertThat(progress.recordsKept()).isZero();
    assertThat(entry(progress.snapshot(), file).settledBefore).isEqualTo(1091);
  }

  @Test
  void catchingUpAFileOfOthersDropsTheListedPositionsItsPrefixNowCovers() {
    String file = name(1, OTHER, 1);
    progress.restore(
        new Checkpoint(
            null,
            Collections.singletonList(
                new Checkpoint.FileEntry(file, 0, new TreeSet<>(Arrays.asList(10L, 20L, 40L))))));

    assertThat(progress.caughtUp(parsed(file), 30)).as("not this exporter's").isFalse();

    Checkpoint.FileEntry entry = entry(progress.snapshot(), file);
    assertThat(entry.settledBefore).isEqualTo(31);
    assertThat(entry.settledAfter).containsExactly(40L);
  }

  @Test
  void retentionDeletingAFileCatchUpHasNotReadIsWarnedAboutOnce() {
    String delivered = name(1, OTHER, 1);
    String watermark = name(2, OTHER, 2);
    String unread = name(3, OTHER, 3);
    String sending = name(4, OTHER, 4);
    progress.restore(new Checkpoint(watermark, Collections.<Checkpoint.FileEntry>emptyList()));

    progress.deleted(dir.resolve(delivered));
    assertThat(warnings()).as("delivered before").isEmpty();
    progress.deleted(dir.resolve(FileNames.compressedName(unread)));
    assertThat(warnings()).hasSize(1);
    assertThat(warnings().get(0)).contains(unread).contains("before catch-up read it");

    // Catch-up is in the middle of a file of others when it finds it gone.
    progress.caughtUp(parsed(sending), 0);
    long listedAt = System.nanoTime();
    assertThat(progress.nextFile(listing(watermark), listedAt, n -> true)).isNull();
    assertThat(warnings()).hasSize(2);
    assertThat(warnings().get(1))
        .contains(sending)
        .contains("while catch-up was sending it")
        .contains("after position 1");
    // Retention's own report of the same deletion says nothing more, and nothing was counted.
    progress.deleted(dir.resolve(sending));
    assertThat(warnings()).hasSize(2);
    assertThat(counters.forwardExpiredItems.sum()).isZero();
  }

  @Test
  void ownRecordsSettledLiveFoldIntoTheSettledPrefixAndTheRestJoinTheBacklog() {
    String file = name(1, OWN, 1);
    FileNames.ParsedName parsed = parsed(file);
    long before = System.currentTimeMillis();
    RecordTicket first = written(file, 0, 100, 3);
    RecordTicket second = written(file, 104, 200, 5);
    RecordTicket third = written(file, 308, 300, 7);
    assertThat(progress.verdict(parsed, 0)).as("live forwarding has it").isEqualTo(Verdict.WAIT);
    assertThat(progress.verdict(parsed, 50))
        .as("not reported, the file still written")
        .isEqualTo(Verdict.WAIT);
    assertThat(progress.ownFileWork(parsed)).isEqualTo(Verdict.SKIP);
    assertThat(progress.getOldestBacklogMillis()).isEqualTo(Long.MAX_VALUE);

    progress.liveSettled(third, LiveOutcome.UNDELIVERED);
    assertThat(backlogCalls).hasValue(1);
    assertThat(deliveredCalls).hasValue(0);
    assertThat(progress.getBacklogItems()).isEqualTo(7);
    assertThat(progress.getBacklogBytes()).isEqualTo(300);
    assertThat(progress.getOldestBacklogMillis()).isBetween(before, System.currentTimeMillis());
    assertThat(progress.verdict(parsed, 308)).isEqualTo(Verdict.SEND);
    assertThat(progress.ownFileWork(parsed)).isEqualTo(Verdict.SEND);
    assertThat(progress.isDirty()).as("a backlog record alone changes no checkpoint").isFalse();

    progress.liveSettled(second, LiveOutcome.DELIVERED);
    assertThat(deliveredCalls).hasValue(1);
    assertThat(progress.isDirty()).isTrue();
    assertThat(progress.verdict(parsed, 104)).isEqualTo(Verdict.SKIP);
    Checkpoint checkpoint = progress.snapshot();
    assertThat(progress.isDirty()).as("the snapshot clears the mark").isFalse();
    Checkpoint.FileEntry entry = entry(checkpoint, file);
    assertThat(entry.settledBefore).as("the first record is still live").isZero();
    assertThat(entry.settledAfter).containsExactly(104L);

    // Settled again or late: no effect.
    progress.liveSettled(second, LiveOutcome.REJECTED);
    assertThat(deliveredCalls).hasValue(1);

    progress.liveSettled(first, LiveOutcome.REJECTED);
    assertThat(deliveredCalls).hasValue(2);
    assertThat(progress.verdict(parsed, 0)).isEqualTo(Verdict.SKIP);
    entry = entry(progress.snapshot(), file);
    assertThat(entry.settledBefore).as("both head records folded in").isEqualTo(105);
    assertThat(entry.settledAfter).isEmpty();

    assertThat(progress.caughtUp(parsed, 308)).as("this exporter's record").isTrue();
    assertThat(progress.getBacklogItems()).isZero();
    assertThat(progress.getBacklogBytes()).isZero();
    assertThat(progress.getOldestBacklogMillis()).isEqualTo(Long.MAX_VALUE);
    assertThat(entry(progress.snapshot(), file).settledBefore).isEqualTo(309);
    assertThat(progress.ownFileWork(parsed)).isEqualTo(Verdict.SKIP);
  }

  @Test
  void theSnapshotListsSettledOwnRecordsAfterTheFirstUnsettledOne() {
    String file = name(1, OWN, 1);
    FileNames.ParsedName parsed = parsed(file);
    written(file, 0, 10, 1);
    RecordTicket second = written(file, 10, 10, 1);
    written(file, 20, 10, 1);
    RecordTicket fourth = written(file, 30, 10, 1);
    progress.liveSettled(second, LiveOutcome.DELIVERED);
    progress.liveSettled(fourth, LiveOutcome.DELIVERED);

    Checkpoint.FileEntry entry = entry(progress.snapshot(), file);
    assertThat(entry.settledBefore).isZero();
    assertThat(entry.settledAfter).containsExactly(10L, 30L);
    assertThat(progress.verdict(parsed, 10)).isEqualTo(Verdict.SKIP);
    assertThat(progress.verdict(parsed, 20)).isEqualTo(Verdict.WAIT);
  }

  @Test
  void aFinishedOwnFileWaitsForLiveForwardingAndThenMovesTheWatermark() {
    String done = name(1, OWN, 1);
    String next = name(2, OWN, 2);
    FileNames.ParsedName doneName = parsed(done);
    RecordTicket ticket = written(done, 0, 10, 1);
    assertThat(progress.isOwnActive(doneName)).isTrue();
    progress.writerAt(dir.resolve(done));
    assertThat(progress.isOwnActive(doneName)).as("still the writer's file").isTrue();
    assertThat(progress.isDirty()).isFalse();

    written(next, 0, 10, 1);
    progress.writerAt(dir.resolve(next));
    assertThat(progress.isDirty()).isTrue();
    assertThat(progress.isOwnActive(doneName)).isFalse();
    assertThat(progress.isOwnActive(parsed(next))).isTrue();
    assertThat(progress.ownFileWork(doneName))
        .as("finished with a record live forwarding has")
        .isEqualTo(Verdict.WAIT);
    assertThat(progress.ownFileWork(parsed(next))).isEqualTo(Verdict.SKIP);
    assertThat(progress.verdict(doneName, 99))
        .as("a finished file has no more reports coming")
        .isEqualTo(Verdict.SEND);

    long listedAt = System.nanoTime();
    assertThat(progress.nextFile(listing(done, next), listedAt, n -> true))
        .as("not delivered yet")
        .isEqualTo(doneName);
    assertThat(progress.getWatermark()).isNull();

    progress.liveSettled(ticket, LiveOutcome.DELIVERED);
    progress.snapshot();
    assertThat(progress.nextFile(listing(done, next), listedAt, n -> true)).isEqualTo(parsed(next));
    assertThat(progress.getWatermark()).isEqualTo(doneName);
    assertThat(progress.isDirty()).isTrue();
    Checkpoint checkpoint = progress.snapshot();
    assertThat(checkpoint.watermark).isEqualTo(done);
    assertThat(entry(checkpoint, done)).as("dropped once delivered").isNull();
    assertThat(progress.verdict(doneName, 0)).as("behind the watermark").isEqualTo(Verdict.SKIP);
    assertThat(progress.verdict(parsed(name(0, OTHER, 1)), 0)).isEqualTo(Verdict.SKIP);
    assertThat(progress.verdict(parsed(name(3, OTHER, 1)), 0)).isEqualTo(Verdict.SEND);
    assertThat(progress.verdict(parsed(name(3, OWN, 3)), 0))
        .as("own file before its first report")
        .isEqualTo(Verdict.WAIT);
  }

  @Test
  void theWatermarkStopsAtTheFirstFileStillPending() {
    String pending = name(1, OTHER, 1);
    String delivered = name(2, OTHER, 2);
    String unreadable = name(3, OTHER, 3);
    String last = name(4, OTHER, 4);
    progress.readToEnd(parsed(delivered));
    long listedAt = System.nanoTime();

    assertThat(progress.nextFile(listing(pending, delivered), listedAt, n -> true))
        .isEqualTo(parsed(pending));
    assertThat(progress.getWatermark()).as("a file before it is pending").isNull();

    assertThat(
            progress.nextFile(
                listing(pending, delivered, unreadable, last),
                listedAt,
                n -> !n.equals(parsed(pending)) && !n.equals(parsed(unreadable))))
        .as("the oldest readable file not delivered")
        .isEqualTo(parsed(last));
    assertThat(progress.nextFile(listing(delivered, last), listedAt, n -> true))
        .isEqualTo(parsed(last));
    assertThat(progress.getWatermark()).isEqualTo(parsed(delivered));
    assertThat(progress.nextFile(listing(delivered), listedAt, n -> true)).isNull();
    assertThat(progress.nextFile(listing(last), listedAt, n -> false)).isNull();
  }

  @Test
  void othersFilesSettleInOrderAndAreDoneWhenReadToTheEnd() {
    String file = name(1, OTHER, 1);
    FileNames.ParsedName parsed = parsed(file);
    assertThat(progress.isOwn(parsed)).isFalse();
    assertThat(progress.isOwnActive(parsed)).isFalse();
    assertThat(progress.ownFileWork(parsed)).isEqualTo(Verdict.SEND);
    assertThat(progress.verdict(parsed, 0)).isEqualTo(Verdict.SEND);

    assertThat(progress.caughtUp(parsed, 100)).as("not this exporter's").isFalse();
    assertThat(progress.isDirty()).isTrue();
    assertThat(progress.verdict(parsed, 0)).isEqualTo(Verdict.SKIP);
    assertThat(progress.verdict(parsed, 100)).isEqualTo(Verdict.SKIP);
    assertThat(progress.verdict(parsed, 101)).isEqualTo(Verdict.SEND);
    assertThat(progress.ownFileWork(parsed)).isEqualTo(Verdict.SEND);
    Checkpoint.FileEntry entry = entry(progress.snapshot(), file);
    assertThat(entry.settledBefore).isEqualTo(101);

    long listedAt = System.nanoTime();
    assertThat(progress.nextFile(listing(file), listedAt, n -> true)).isEqualTo(parsed);
    progress.readToEnd(parsed);
    assertThat(progress.isDirty()).isTrue();
    assertThat(entry(progress.snapshot(), file).settledBefore).isEqualTo(Long.MAX_VALUE);
    assertThat(progress.verdict(parsed, 1_000_000)).isEqualTo(Verdict.SKIP);
    assertThat(progress.nextFile(listing(file), listedAt, n -> true)).isNull();
    assertThat(progress.getWatermark()).isEqualTo(parsed);
  }

  @Test
  void aCheckpointRestoresWhatWasSettledAndSkipsNamesThatAreNotOurs() {
    String read = name(2, OTHER, 1);
    String partly = name(3, OTHER, 2);
    progress.restore(
        new Checkpoint(
            name(1, OTHER, 9),
            Arrays.asList(
                new Checkpoint.FileEntry(read, Long.MAX_VALUE, Collections.<Long>emptySet()),
                new Checkpoint.FileEntry(partly, 40, new TreeSet<>(Arrays.asList(80L, 120L))),
                new Checkpoint.FileEntry("logs-not-ours.binpb", 7, Collections.<Long>emptySet()),
                new Checkpoint.FileEntry(
                    name(4, OTHER, 3) + FileNames.GZIP_SUFFIX, 7, Collections.<Long>emptySet()))));

    assertThat(progress.getWatermark()).isEqualTo(parsed(name(1, OTHER, 9)));
    assertThat(progress.verdict(parsed(name(1, OTHER, 1)), 0)).isEqualTo(Verdict.SKIP);
    FileNames.ParsedName partlyName = parsed(partly);
    assertThat(progress.verdict(partlyName, 39)).isEqualTo(Verdict.SKIP);
    assertThat(progress.verdict(partlyName, 40)).isEqualTo(Verdict.SEND);
    assertThat(progress.verdict(partlyName, 80)).isEqualTo(Verdict.SKIP);
    assertThat(progress.verdict(partlyName, 100)).isEqualTo(Verdict.SEND);
    assertThat(progress.verdict(partlyName, 120)).isEqualTo(Verdict.SKIP);

    Checkpoint checkpoint = progress.snapshot();
    assertThat(checkpoint.files).extracting(e -> e.name).containsExactly(read, partly);
    assertThat(entry(checkpoint, partly).settledAfter).containsExactly(80L, 120L);

    // The file read to the end is done: the watermark moves past it, not past the partial one.
    long listedAt = System.nanoTime();
    assertThat(progress.nextFile(listing(read, partly), listedAt, n -> true)).isEqualTo(partlyName);
    assertThat(progress.getWatermark()).isEqualTo(parsed(read));

    // The restored partial file settles on from where it was.
    progress.caughtUp(partlyName, 100);
    Checkpoint.FileEntry entry = entry(progress.snapshot(), partly);
    assertThat(entry.settledBefore).isEqualTo(101);
    assertThat(entry.settledAfter).containsExactly(120L);
    progress.readToEnd(partlyName);
    entry = entry(progress.snapshot(), partly);
    assertThat(entry.settledBefore).isEqualTo(Long.MAX_VALUE);
    assertThat(entry.settledAfter).isEmpty();
  }

  @Test
  void aFileMissingFromTheListingIsGoneAndItsBacklogExpires() {
    String file = name(1, OWN, 1);
    FileNames.ParsedName parsed = parsed(file);
    RecordTicket live = written(file, 0, 10, 2);
    RecordTicket backlog = written(file, 10, 20, 3);
    progress.liveSettled(backlog, LiveOutcome.UNDELIVERED);
    progress.snapshot();

    // A listing taken before the file was known says nothing about it.
    assertThat(
            progress.nextFile(
                Collections.emptyList(), System.nanoTime() - 1_000_000_000L, n -> true))
        .isNull();
    assertThat(progress.isDirty()).isFalse();
    assertThat(progress.verdict(parsed, 10)).isEqualTo(Verdict.SEND);

    assertThat(progress.nextFile(Collections.emptyList(), System.nanoTime(), n -> true)).isNull();
    assertThat(progress.isDirty()).isTrue();
    assertThat(counters.forwardExpiredItems.sum()).isEqualTo(3);
    assertThat(progress.getBacklogItems()).isZero();
    assertThat(progress.getBacklogBytes()).isZero();
    assertThat(progress.verdict(parsed, 10)).isEqualTo(Verdict.SKIP);
    assertThat(progress.verdict(parsed, 0)).isEqualTo(Verdict.SKIP);

    // Kept while live forwarding has a record of it: that record expires when it fails.
    progress.liveSettled(live, LiveOutcome.UNDELIVERED);
    assertThat(counters.forwardExpiredItems.sum()).isEqualTo(5);
    assertThat(progress.getBacklogItems()).isZero();
    assertThat(deliveredCalls).hasValue(1);
    assertThat(backlogCalls).hasValue(1);

    // Once nothing live is left, the next listing forgets it.
    progress.nextFile(Collections.emptyList(), System.nanoTime(), n -> true);
    assertThat(entry(progress.snapshot(), file)).isNull();
  }

  @Test
  void retentionLeavesTheRecordBeingSentToTheSendsOutcome() {
    String file = name(1, OWN, 1);
    FileNames.ParsedName parsed = parsed(file);
    RecordTicket sent = written(file, 0, 10, 2);
    RecordTicket other = written(file, 10, 20, 3);
    progress.liveSettled(sent, LiveOutcome.UNDELIVERED);
    progress.liveSettled(other, LiveOutcome.UNDELIVERED);
    assertThat(progress.expireIfGone(parsed, 0)).as("not gone").isFalse();
    assertThat(progress.expireIfGone(parsed(name(9, OWN, 9)), 0)).as("not known").isFalse();

    progress.sending(parsed, 0);
    progress.deleted(dir.resolve(FileNames.compressedName(file)));
    assertThat(progress.isDirty()).isTrue();
    assertThat(counters.forwardExpiredItems.sum()).as("only the one not being sent").isEqualTo(3);
    assertThat(progress.getBacklogItems()).isEqualTo(2);
    assertThat(progress.getBacklogBytes()).isEqualTo(10);

    assertThat(progress.expireIfGone(parsed, 0)).isTrue();
    assertThat(counters.forwardExpiredItems.sum()).isEqualTo(5);
    assertThat(progress.getBacklogItems()).isZero();
    assertThat(progress.getBacklogBytes()).isZero();
    assertThat(progress.expireIfGone(parsed, 0)).as("counted once").isTrue();
    assertThat(counters.forwardExpiredItems.sum()).isEqualTo(5);

    // A second report of the same deletion changes nothing.
    progress.deleted(dir.resolve(file));
    assertThat(counters.forwardExpiredItems.sum()).isEqualTo(5);
    assertThat(entry(progress.snapshot(), file).settledBefore)
        .as("every record of it settled")
        .isEqualTo(11);
  }

  @Test
  void aSendThatEndsBeforeTheDeletionIsNotLeftOut() {
    String file = name(1, OWN, 1);
    FileNames.ParsedName parsed = parsed(file);
    RecordTicket first = written(file, 0, 10, 2);
    RecordTicket second = written(file, 10, 20, 3);
    progress.liveSettled(first, LiveOutcome.UNDELIVERED);
    progress.liveSettled(second, LiveOutcome.UNDELIVERED);
    progress.sending(parsed, 10);
    progress.sending(null, 0);

    progress.deleted(dir.resolve(file));
    assertThat(counters.forwardExpiredItems.sum()).isEqualTo(5);
    assertThat(progress.getBacklogItems()).isZero();
  }

  @Test
  void ownRecordsNotFoundInAFileReadToItsEndExpire() {
    String file = name(1, OWN, 1);
    FileNames.ParsedName parsed = parsed(file);
    RecordTicket missing = written(file, 0, 10, 4);
    written(file, 10, 10, 1);
    progress.liveSettled(missing, LiveOutcome.UNDELIVERED);

    progress.readToEnd(parsed);
    assertThat(counters.forwardExpiredItems.sum()).isEqualTo(4);
    assertThat(progress.getBacklogItems()).isZero();
    assertThat(progress.getBacklogBytes()).isZero();
    assertThat(progress.verdict(parsed, 0)).isEqualTo(Verdict.SKIP);
  }

  @Test
  void deletionsOfUnknownFilesAndOddReportsChangeNothing() {
    progress.deleted(dir.resolve(name(1, OTHER, 1)));
    progress.deleted(dir.resolve("unrelated.txt"));
    assertThat(progress.isDirty()).isFalse();

    RecordTicket none = new RecordTicket();
    progress.recordWritten(none);
    RecordTicket foreign = new RecordTicket();
    foreign.written(dir.resolve("logs-20250101T000001.000Z-" + OWN + "-1.binpb"), 0, 1, 1);
    progress.recordWritten(foreign);
    RecordTicket compressed = new RecordTicket();
    compressed.written(dir.resolve(FileNames.compressedName(name(1, OWN, 1))), 0, 1, 1);
    progress.recordWritten(compressed);
    progress.liveSettled(foreign, LiveOutcome.UNDELIVERED);
    progress.liveSettled(none, LiveOutcome.DELIVERED);
    // A record reported under the compressed name counts for the plain one.
    assertThat(progress.snapshot().files).extracting(e -> e.name).containsExactly(name(1, OWN, 1));
    assertThat(backlogCalls).hasValue(0);
    assertThat(deliveredCalls).hasValue(0);

    progress.markDirty();
    assertThat(progress.isDirty()).isTrue();
    assertThat(FolderProgress.plainName(dir.resolve("a.binpb.gz"))).isEqualTo("a.binpb");
    assertThat(FolderProgress.plainName(dir.resolve("a.binpb"))).isEqualTo("a.binpb");
  }
}
