package io.github.otlpfile.internal.forward;

import io.github.otlpfile.internal.ExporterCounters;
import io.github.otlpfile.internal.buffer.RecordTicket;
import io.github.otlpfile.internal.file.FileNames;
import io.github.otlpfile.internal.file.RetentionListener;
import io.github.otlpfile.internal.file.WriteListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What has been delivered of one signal folder: for every file that is not wholly delivered, the
 * positions of its records that are settled (delivered, or rejected for good), and for the records
 * this exporter wrote itself, whether live forwarding still has them, delivered them or left them
 * for catch-up. Every file whose name sorts before the {@linkplain #getWatermark() watermark}, and
 * the watermark file itself, is wholly delivered. This is what the checkpoint file saves.
 *
 * <p>A record's position is the one readers report: the line number in JSON lines, the byte offset
 * of the length prefix in PROTOBUF; it stays the same when the file is compressed.
 *
 * <p>Thread-safe: every method synchronizes on this object.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class FolderProgress implements WriteListener, RetentionListener {
  private static final Logger logger = Logger.getLogger(FolderProgress.class.getName());

  /** The state of a record this exporter wrote. */
  enum State {
    /** Live forwarding has it: not yet sent, or in flight. */
    LIVE,
    /** Not delivered live (skipped, or failed for a retryable reason): catch-up sends it. */
    BACKLOG,
    /** Delivered or rejected for good. */
    SETTLED
  }

  /** How a live batch ended, for {@link #liveSettled}. */
  enum LiveOutcome {
    DELIVERED,
    REJECTED,
    UNDELIVERED
  }

  private final String signal;
  // Files named with it are written by this exporter, and by nothing else.
  private final String instanceId;
  private final ExporterCounters counters;
  private final Runnable onBacklog;
  private final Runnable onDelivered;
  // Files not wholly delivered, oldest first. Guarded by this.
  private final TreeMap<FileNames.ParsedName, FileProgress> files = new TreeMap<>();
  // It and every file sorting before it are delivered; null: none is known to be. Guarded by this.
  private FileNames.ParsedName watermark;
  private boolean dirty;
  // The record catch-up is sending, which retention's deletion must leave to the send's outcome.
  private FileNames.ParsedName sendingFile;
  private long sendingPosition;
  private long backlogItems;
  private long backlogBytes;
  // Files found gone lately, so that retention's own report of them says nothing more.
  private final Set<String> recentlyGone =
      java.util.Collections.newSetFromMap(
          new LinkedHashMap<String, Boolean>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > 1000;
            }
          });

  /**
   * @param onBacklog called (outside the lock) when a record of this exporter joins the backlog
   * @param onDelivered called (outside the lock) when live forwarding settled a record
   */
  FolderProgress(
      String signal,
      String instanceId,
      ExporterCounters counters,
      Runnable onBacklog,
      Runnable onDelivered) {
    this.instanceId = instanceId;
    this.onDelivered = onDelivered;
    this.signal = signal;
    this.counters = counters;
    this.onBacklog = onBacklog;
  }

  /** One file's progress. Guarded by the enclosing {@link FolderProgress}. */
  static final class FileProgress {
    final FileNames.ParsedName name;
    // Every record before this position is settled.
    long settledBefore;
    // Settled records at or after settledBefore.
    final TreeSet<Long> settledAfter = new TreeSet<>();
    // Records this exporter wrote, by position, in file order; none for files of others.
    final Map<Long, OwnRecord> own = new LinkedHashMap<>();
    boolean ownFile;
    // An own file the writer has moved past: no record is added to it any more.
    boolean finished;
    // Catch-up found the file gone (retention): nothing more can be sent from it.
    boolean gone;
    // Catch-up read it to its end while nobody wrote it.
    boolean readToEnd;
    long knownSinceNanos = System.nanoTime();

    FileProgress(FileNames.ParsedName name) {
      this.name = name;
    }

    boolean isSettled(long position) {
      if (position < settledBefore || settledAfter.contains(position)) {
        return true;
      }
      OwnRecord record = own.get(position);
      return record != null && record.state == State.SETTLED;
    }
  }

  static final class OwnRecord {
    final long position;
    final int items;
    final long bytes;
    final long writtenMillis;
    State state = State.LIVE;

    OwnRecord(long position, int items, long bytes, long writtenMillis) {
      this.position = position;
      this.items = items;
      this.bytes = bytes;
      this.writtenMillis = writtenMillis;
    }
  }

  private FileProgress newFile(FileNames.ParsedName name) {
    FileProgress file = new FileProgress(name);
    file.ownFile = instanceId.equals(name.getInstanceId());
    return file;
  }

  // ---- restored from a checkpoint

  /** Restores the state a checkpoint saved. Call before anything is written. */
  synchronized void restore(Checkpoint checkpoint) {
    watermark = checkpoint.watermark == null ? null : parse(checkpoint.watermark);
    for (Checkpoint.FileEntry entry : checkpoint.files) {
      FileNames.ParsedName name = parse(entry.name);
      if (name == null) {
        continue;
      }
      FileProgress file = newFile(name);
      file.settledBefore = entry.settledBefore;
      file.settledAfter.addAll(entry.settledAfter);
      file.readToEnd = entry.settledBefore == Long.MAX_VALUE;
      files.put(name, file);
    }
  }

  /** What a checkpoint saves now; clears the dirty mark. */
  synchronized Checkpoint snapshot() {
    dirty = false;
    List<Checkpoint.FileEntry> entries = new ArrayList<>();
    for (FileProgress file : files.values()) {
      long before = file.settledBefore;
      TreeSet<Long> after = new TreeSet<>(file.settledAfter);
      if (file.ownFile) {
        // The first own record not settled bounds the prefix; the settled ones after it are listed.
        boolean prefix = true;
        for (OwnRecord record : file.own.values()) {
          if (prefix && record.state == State.SETTLED) {
            before = Math.max(before, record.position + 1);
          } else {
            prefix = false;
            if (record.state == State.SETTLED) {
              after.add(record.position);
            }
          }
        }
        after.headSet(before).clear();
      }
      entries.add(new Checkpoint.FileEntry(file.name.getFileName(), before, after));
    }
    return new Checkpoint(watermark == null ? null : watermark.getFileName(), entries);
  }

  synchronized boolean isDirty() {
    return dirty;
  }

  // ---- what the writer reports (writer thread)

  @Override
  public void recordWritten(RecordTicket ticket) {
    synchronized (this) {
      FileProgress file = fileOf(ticket.getFile(), true);
      if (file == null) {
        return;
      }
      file.ownFile = true;
      file.own.put(
          ticket.getPosition(),
          new OwnRecord(
              ticket.getPosition(),
              ticket.getItems(),
              ticket.getBytes(),
              System.currentTimeMillis()));
    }
  }

  @Override
  public synchronized void writerAt(Path currentFile) {
    String current = currentFile == null ? null : plainName(currentFile);
    for (FileProgress file : files.values()) {
      if (file.ownFile && !file.finished && !file.name.getFileName().equals(current)) {
        file.finished = true;
        dirty = true;
      }
    }
  }

  /** Live forwarding settled the batch of {@code ticket}. */
  void liveSettled(RecordTicket ticket, LiveOutcome outcome) {
    boolean backlog = false;
    synchronized (this) {
      FileProgress file = fileOf(ticket.getFile(), false);
      OwnRecord record = file == null ? null : file.own.get(ticket.getPosition());
      if (record == null || record.state != State.LIVE) {
        return;
      }
      if (outcome != LiveOutcome.UNDELIVERED) {
        record.state = State.SETTLED;
        dirty = true;
        compact(file);
      } else if (file.gone) {
        record.state = State.SETTLED;
        expired(record.items, file);
      } else {
        record.state = State.BACKLOG;
        backlogItems += record.items;
        backlogBytes += record.bytes;
        backlog = true;
      }
    }
    if (backlog) {
      onBacklog.run();
    } else {
      onDelivered.run();
    }
  }

  /**
   * How many records this progress keeps one by one: own records not folded into a settled prefix
   * yet, and settled positions past a prefix. It stays as small as the records still unsettled,
   * however long the process runs.
   */
  synchronized int recordsKept() {
    int kept = 0;
    for (FileProgress file : files.values()) {
      kept += file.own.size() + file.settledAfter.size();
    }
    return kept;
  }

  /** Folds the settled records at the head of an own file into its settled prefix. */
  private static void compact(FileProgress file) {
    Iterator<OwnRecord> it = file.own.values().iterator();
    while (it.hasNext()) {
      OwnRecord record = it.next();
      if (record.state != State.SETTLED) {
        break;
      }
      file.settledBefore = Math.max(file.settledBefore, record.position + 1);
      it.remove();
    }
    file.settledAfter.headSet(file.settledBefore).clear();
  }

  // ---- what catch-up asks and reports (catch-up thread)

  /**
   * The oldest file with a record that may still need sending, among {@code present} (the folder's
   * files, oldest first), or {@code null}. Files of the listing that are delivered move the
   * watermark; known files missing from it are gone.
   */
  synchronized FileNames.ParsedName nextFile(
      List<FileNames.ParsedName> present,
      long listedAt,
      java.util.function.Predicate<FileNames.ParsedName> readable) {
    Set<FileNames.ParsedName> listed = new TreeSet<>(present);
    for (Iterator<FileProgress> it = files.values().iterator(); it.hasNext(); ) {
      FileProgress file = it.next();
      if (!listed.contains(file.name) && file.knownSinceNanos - listedAt < 0) {
        markGone(file);
        if (!hasLive(file)) {
          it.remove();
        }
        dirty = true;
      }
    }
    // Files delivered in full are dropped, and the watermark moves past them, as long as no file
    // before them is still pending.
    boolean pendingBefore = false;
    FileNames.ParsedName candidate = null;
    for (FileNames.ParsedName name : present) {
      if (watermark != null && name.compareTo(watermark) <= 0) {
        continue;
      }
      FileProgress file = files.get(name);
      if (file != null && isDone(file)) {
        if (!pendingBefore) {
          files.remove(name);
          watermark = name;
          dirty = true;
        }
        continue;
      }
      pendingBefore = true;
      if (candidate == null && readable.test(name)) {
        candidate = name;
      }
    }
    return candidate;
  }

  private static boolean isDone(FileProgress file) {
    if (file.ownFile ? !file.finished : !file.readToEnd) {
      return false; // others' files are done when catch-up has read them to the end
    }
    for (OwnRecord record : file.own.values()) {
      if (record.state != State.SETTLED) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasLive(FileProgress file) {
    for (OwnRecord record : file.own.values()) {
      if (record.state == State.LIVE) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code name} was written by this exporter, and whether it is still being written. */
  synchronized boolean isOwn(FileNames.ParsedName name) {
    return instanceId.equals(name.getInstanceId());
  }

  synchronized boolean isOwnActive(FileNames.ParsedName name) {
    FileProgress file = files.get(name);
    return isOwn(name) && (file == null || !file.finished);
  }

  /**
   * For a file of this exporter: {@code SEND} if it has records in the backlog (or is not this
   * exporter's), {@code WAIT} if live forwarding still has some and the file is finished, {@code
   * SKIP} if there is nothing to do until a record joins the backlog.
   */
  synchronized Verdict ownFileWork(FileNames.ParsedName name) {
    FileProgress file = files.get(name);
    if (file == null) {
      // A file of this exporter whose first record is not reported yet has nothing to catch up.
      return instanceId.equals(name.getInstanceId()) ? Verdict.SKIP : Verdict.SEND;
    }
    if (!file.ownFile) {
      return Verdict.SEND;
    }
    boolean live = false;
    for (OwnRecord record : file.own.values()) {
      if (record.state == State.BACKLOG) {
        return Verdict.SEND;
      }
      live |= record.state == State.LIVE;
    }
    return live && file.finished ? Verdict.WAIT : Verdict.SKIP;
  }

  synchronized void markDirty() {
    dirty = true;
  }

  /** What catch-up should do with the record at {@code position} of {@code name}. */
  enum Verdict {
    SKIP,
    SEND,
    WAIT
  }

  synchronized Verdict verdict(FileNames.ParsedName name, long position) {
    FileProgress file = files.get(name);
    if (file == null) {
      if (watermark != null && name.compareTo(watermark) <= 0) {
        return Verdict.SKIP;
      }
      // This exporter's file, before the writer reported its first record: wait for the report.
      return isOwn(name) ? Verdict.WAIT : Verdict.SEND;
    }
    if (file.gone) {
      return Verdict.SKIP;
    }
    if (file.isSettled(position)) {
      return Verdict.SKIP;
    }
    if (!file.ownFile) {
      return Verdict.SEND;
    }
    OwnRecord record = file.own.get(position);
    if (record == null) {
      // Not reported yet by the writer, or never: only a finished file has no more reports coming.
      return file.finished ? Verdict.SEND : Verdict.WAIT;
    }
    return record.state == State.LIVE ? Verdict.WAIT : Verdict.SEND;
  }

  /** Catch-up is about to send the record at {@code position}; {@code null} when done. */
  synchronized void sending(FileNames.ParsedName name, long position) {
    sendingFile = name;
    sendingPosition = position;
  }

  /**
   * Catch-up failed to send the record at {@code position} of a file retention has deleted since:
   * it is lost. Returns whether it was, and counts it as expired if it was this exporter's.
   */
  synchronized boolean expireIfGone(FileNames.ParsedName name, long position) {
    FileProgress file = files.get(name);
    if (file == null || !file.gone) {
      return false;
    }
    OwnRecord record = file.own.get(position);
    if (record != null && record.state == State.BACKLOG) {
      record.state = State.SETTLED;
      backlogItems -= record.items;
      backlogBytes -= record.bytes;
      expired(record.items, file);
    }
    return true;
  }

  /**
   * Catch-up delivered (or the endpoint rejected for good) the record at {@code position}; returns
   * whether the record was this exporter's own.
   */
  synchronized boolean caughtUp(FileNames.ParsedName name, long position) {
    dirty = true;
    FileProgress file = files.get(name);
    if (file == null) {
      file = newFile(name);
      files.put(name, file);
    }
    OwnRecord record = file.own.get(position);
    if (record != null) {
      if (record.state == State.BACKLOG) {
        backlogItems -= record.items;
        backlogBytes -= record.bytes;
      }
      record.state = State.SETTLED;
      compact(file);
      return true;
    }
    // Catch-up reads in order and passes no record unsettled: everything before is settled.
    file.settledBefore = Math.max(file.settledBefore, position + 1);
    file.settledAfter.headSet(file.settledBefore).clear();
    return false;
  }

  /** Catch-up read a file to its end, and nobody writes it any more. */
  synchronized void readToEnd(FileNames.ParsedName name) {
    FileProgress file = files.get(name);
    if (file == null) {
      file = newFile(name);
      files.put(name, file);
    }
    file.readToEnd = true;
    file.settledBefore = Long.MAX_VALUE;
    file.settledAfter.clear();
    // Own records reported but not found in the file (damaged): nothing can send them.
    for (OwnRecord record : file.own.values()) {
      if (record.state == State.BACKLOG) {
        record.state = State.SETTLED;
        backlogItems -= record.items;
        backlogBytes -= record.bytes;
        expired(record.items, file);
      }
    }
    dirty = true;
  }

  /** Retention deleted a file (here, or found missing by catch-up). */
  @Override
  public synchronized void deleted(Path plainPath) {
    FileNames.ParsedName name = parse(plainName(plainPath));
    FileProgress file = name == null ? null : files.get(name);
    if (file == null) {
      if (name != null
          && (watermark == null || name.compareTo(watermark) > 0)
          && !recentlyGone.contains(name.getFileName())) {
        logger.log(
            Level.WARNING,
            "Retention deleted "
                + plainPath
                + " before catch-up read it; its records were not forwarded, and how many there"
                + " were is not known");
      }
      return;
    }
    markGone(file);
    dirty = true;
  }

  private void markGone(FileProgress file) {
    if (file.gone) {
      return;
    }
    file.gone = true;
    recentlyGone.add(file.name.getFileName());
    long lost = 0;
    for (OwnRecord record : file.own.values()) {
      if (record.state == State.BACKLOG
          && !(file.name.equals(sendingFile) && record.position == sendingPosition)) {
        record.state = State.SETTLED;
        backlogItems -= record.items;
        backlogBytes -= record.bytes;
        lost += record.items;
      }
    }
    if (lost > 0) {
      expired(lost, file);
    }
    if (!file.ownFile) {
      logger.log(
          Level.WARNING,
          "Retention deleted "
              + file.name
              + " while catch-up was sending it; the records after position "
              + file.settledBefore
              + " were not forwarded");
    }
  }

  private void expired(long items, FileProgress file) {
    counters.forwardExpiredItems.add(items);
    logger.log(
        Level.WARNING,
        "Retention deleted "
            + file.name
            + " with "
            + items
            + " "
            + signal
            + " items that were never forwarded (counted in getForwardExpiredItems())");
  }

  // ---- statistics

  synchronized long getBacklogItems() {
    return backlogItems;
  }

  synchronized long getBacklogBytes() {
    return backlogBytes;
  }

  /** When the oldest own record of the backlog was written, or {@code Long.MAX_VALUE}. */
  synchronized long getOldestBacklogMillis() {
    for (FileProgress file : files.values()) {
      for (OwnRecord record : file.own.values()) {
        if (record.state == State.BACKLOG) {
          return record.writtenMillis;
        }
      }
    }
    return Long.MAX_VALUE;
  }

  synchronized FileNames.ParsedName getWatermark() {
    return watermark;
  }

  // ---- helpers

  private FileProgress fileOf(Path path, boolean create) {
    if (path == null) {
      return null;
    }
    FileNames.ParsedName name = parse(plainName(path));
    if (name == null) {
      return null;
    }
    FileProgress file = files.get(name);
    if (file == null && create) {
      file = newFile(name);
      files.put(name, file);
    }
    return file;
  }

  private FileNames.ParsedName parse(String fileName) {
    FileNames.ParsedName name = FileNames.parse(signal, fileName);
    return name == null || name.isCompressed() ? null : name;
  }

  static String plainName(Path path) {
    String name = path.getFileName().toString();
    return name.endsWith(FileNames.GZIP_SUFFIX)
        ? name.substring(0, name.length() - FileNames.GZIP_SUFFIX.length())
        : name;
  }
}
