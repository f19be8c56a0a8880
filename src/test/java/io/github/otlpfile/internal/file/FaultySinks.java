package io.github.otlpfile.internal.file;

import io.github.otlpfile.Compression;
import io.github.otlpfile.Durability;
import io.github.otlpfile.internal.ExporterCounters;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Builds a {@link FileLaneSink} over {@link FaultyChannel}s, writing {@code .jsonl} traces. */
final class FaultySinks {
  private FaultySinks() {}

  /** Files roll at {@code maxFileSize} bytes or after one hour of {@code clock} time. */
  static FileLaneSink create(
      Path dir,
      Durability durability,
      long maxFileSize,
      TestClock clock,
      ExporterCounters counters,
      FaultyChannel.Faults faults,
      List<String> events) {
    return new FileLaneSink(
        "test files",
        writer(dir, durability, maxFileSize, clock, counters, faults, events),
        counters,
        buffer -> {});
  }

  /** The writer {@link #create} puts behind its sink. */
  static RotatingFileWriter writer(
      Path dir,
      Durability durability,
      long maxFileSize,
      TestClock clock,
      ExporterCounters counters,
      FaultyChannel.Faults faults,
      List<String> events) {
    FolderMaintenance maintenance =
        new FolderMaintenance(
            new FileFolder(dir, "traces"),
            new RetentionPolicy(Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE),
            Compression.NONE,
            durability,
            clock,
            counters,
            FileCompressor.shared());
    return new RotatingFileWriter(
        dir,
        "traces",
        "jsonl",
        "0123456789ab",
        clock,
        durability,
        new RollingPolicy(maxFileSize, Duration.ofHours(1).toNanos()),
        counters,
        maintenance,
        (path, options, attributes) -> {
          events.add("open");
          return new FaultyChannel(FileChannel.open(path, options, attributes), faults, events);
        });
  }
}
