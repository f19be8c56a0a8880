package io.github.otlpfile.internal;

import io.github.otlpfile.Compression;
import io.github.otlpfile.Durability;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OverflowPolicy;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.Clock;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The validated settings of one exporter, handed from its builder to {@link ExporterCore}.
 *
 * <p>Immutable.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ExporterSettings {
  public final Path directory;
  public final OtlpFileFormat format;
  public final long bufferCapacityBytes;
  public final OverflowPolicy overflowPolicy;
  public final long maxFileSizeBytes;
  public final Duration maxFileAge;
  public final int maxFiles;
  public final long maxTotalSizeBytes;
  public final Duration maxAge;
  public final Compression compression;
  public final Durability durability;
  public final Clock clock;
  public final MeterProvider meterProvider;

  public ExporterSettings(
      Path directory,
      OtlpFileFormat format,
      long bufferCapacityBytes,
      OverflowPolicy overflowPolicy,
      long maxFileSizeBytes,
      Duration maxFileAge,
      int maxFiles,
      long maxTotalSizeBytes,
      Duration maxAge,
      Compression compression,
      Durability durability,
      Clock clock,
      MeterProvider meterProvider) {
    this.directory = directory;
    this.format = format;
    this.bufferCapacityBytes = bufferCapacityBytes;
    this.overflowPolicy = overflowPolicy;
    this.maxFileSizeBytes = maxFileSizeBytes;
    this.maxFileAge = maxFileAge;
    this.maxFiles = maxFiles;
    this.maxTotalSizeBytes = maxTotalSizeBytes;
    this.maxAge = maxAge;
    this.compression = compression;
    this.durability = durability;
    this.clock = clock;
    this.meterProvider = meterProvider;
  }

  @Override
  public String toString() {
    return "directory="
        + directory
        + ", format="
        + format
        + ", bufferCapacityBytes="
        + bufferCapacityBytes
        + ", overflowPolicy="
        + overflowPolicy
        + ", maxFileSizeBytes="
        + maxFileSizeBytes
        + ", maxFileAge="
        + maxFileAge
        + ", maxFiles="
        + maxFiles
        + ", maxTotalSizeBytes="
        + maxTotalSizeBytes
        + ", maxAge="
        + maxAge
        + ", compression="
        + compression
        + ", durability="
        + durability;
  }
}
