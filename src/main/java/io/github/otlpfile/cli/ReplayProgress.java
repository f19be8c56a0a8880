package io.github.otlpfile.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows how a replay advances: a progress bar (bytes of records read, of the estimated total; items
 * sent and their rate; time left) when standard error is a terminal, else one plain line per file
 * when the file is done.
 *
 * <p>Not thread-safe: the replay loop calls it.
 */
abstract class ReplayProgress implements AutoCloseable {

  /** Called for every record read, sent or not. */
  abstract void record(long bytes);

  /** Called after each delivered record. */
  abstract void delivered(long items);

  /** Called when the last record of a file was handled. */
  abstract void fileDone(ReplayTally tally, Duration took);

  /** A line for the user, shown without breaking the bar. */
  abstract void note(String line);

  @Override
  public abstract void close();

  static ReplayProgress create(
      boolean terminal, long totalBytes, PrintWriter out, PrintStream err) {
    return terminal ? new Bar(totalBytes, err) : new Lines(out);
  }

  /**
   * The bytes the reader will go through, for the progress bar: file sizes, and for gzip files the
   * uncompressed size from the gzip trailer. Folders are walked as the reader walks them.
   */
  static long estimateBytes(List<Path> paths) {
    long total = 0;
    List<Path> pending = new ArrayList<>(paths);
    while (!pending.isEmpty()) {
      Path path = pending.remove(pending.size() - 1);
      try {
        if (Files.isDirectory(path)) {
          try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
            for (Path child : entries) {
              if (!child.getFileName().toString().startsWith(".")
                  && (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)
                      || Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS))) {
                pending.add(child);
              }
            }
          }
        } else if (Files.isRegularFile(path)) {
          total += uncompressedSize(path);
        }
      } catch (IOException | RuntimeException e) {
        // only an estimate: the reader reports what it cannot read
      }
    }
    return total;
  }

  private static long uncompressedSize(Path file) throws IOException {
    long size = Files.size(file);
    if (!file.getFileName().toString().endsWith(".gz") || size < 18) {
      return size;
    }
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      channel.position(size - 4);
      while (trailer.hasRemaining() && channel.read(trailer) >= 0) {}
      trailer.flip();
      long isize = trailer.remaining() == 4 ? trailer.getInt() & 0xffffffffL : size;
      return Math.max(isize, size);
    }
  }

  /** One line per file, for logs and pipes. */
  static final class Lines extends ReplayProgress {
    private final PrintWriter out;

    Lines(PrintWriter out) {
      this.out = out;
    }

    @Override
    void record(long bytes) {}

    @Override
    void delivered(long items) {}

    @Override
    void fileDone(ReplayTally tally, Duration took) {
      out.println(
          String.format(
              Locale.ROOT,
              "%s: %d records, %d items delivered, %d failed, %d skipped, %d sent earlier (%.1f s)",
              tally.file,
              tally.records,
              tally.delivered,
              tally.failed,
              tally.skipped,
              tally.earlier,
              took.toMillis() / 1000.0));
      out.flush();
    }

    @Override
    void note(String line) {
      out.println(line);
      out.flush();
    }

    @Override
    public void close() {
      out.flush();
    }
  }

  /** The progress bar on a terminal. */
  static final class Bar extends ReplayProgress {
    private final ProgressBar bar;
    private final PrintStream err;
    private final long startNanos = System.nanoTime();
    private long items;

    Bar(long totalBytes, PrintStream err) {
      this.err = err;
      this.bar =
          new ProgressBarBuilder()
              .setTaskName("replay")
              .setInitialMax(Math.max(1, totalBytes))
              .setUnit(" MiB", 1024 * 1024)
              .showSpeed(new DecimalFormat("0.0"))
              .setStyle(ProgressBarStyle.ASCII)
              .setConsumer(new ConsoleProgressBarConsumer(err))
              .setUpdateIntervalMillis(250)
              .build();
    }

    @Override
    void record(long bytes) {
      bar.stepBy(bytes);
    }

    @Override
    void delivered(long count) {
      items += count;
      double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
      bar.setExtraMessage(
          String.format(Locale.ROOT, " %,d items, %,.0f items/s", items, items / seconds));
    }

    @Override
    void fileDone(ReplayTally tally, Duration took) {}

    @Override
    void note(String line) {
      err.print("\r\u001b[2K");
      err.println(line);
    }

    @Override
    public void close() {
      bar.close();
    }
  }
}
