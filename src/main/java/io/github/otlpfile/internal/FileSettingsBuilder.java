package io.github.otlpfile.internal;

import io.github.otlpfile.Compression;
import io.github.otlpfile.Durability;
import io.github.otlpfile.OtlpFileExporterBuilder;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OverflowPolicy;
import io.github.otlpfile.internal.file.FileFolder;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The file settings that the exporter builders and the receiver builder share, with their defaults
 * (the {@code DEFAULT_*} constants of {@link OtlpFileExporterBuilder}) and their validation. The
 * public builders check for {@code null} and delegate here; {@link #build(Signal)} checks ranges
 * and combinations and prepares the signal's folder.
 *
 * <p>Not thread-safe.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class FileSettingsBuilder {
  private Path directory = OtlpFileExporterBuilder.DEFAULT_DIRECTORY;
  private OtlpFileFormat format = OtlpFileExporterBuilder.DEFAULT_FORMAT;
  private long bufferCapacityBytes = OtlpFileExporterBuilder.DEFAULT_BUFFER_CAPACITY_BYTES;
  private OverflowPolicy overflowPolicy = OtlpFileExporterBuilder.DEFAULT_OVERFLOW_POLICY;
  private long maxFileSizeBytes = OtlpFileExporterBuilder.DEFAULT_MAX_FILE_SIZE_BYTES;
  private Duration maxFileAge = OtlpFileExporterBuilder.DEFAULT_MAX_FILE_AGE;
  private int maxFiles = OtlpFileExporterBuilder.DEFAULT_MAX_FILES;
  private long maxTotalSizeBytes = OtlpFileExporterBuilder.DEFAULT_MAX_TOTAL_SIZE_BYTES;
  private Duration maxAge = OtlpFileExporterBuilder.DEFAULT_MAX_AGE;
  private Compression compression = OtlpFileExporterBuilder.DEFAULT_COMPRESSION;
  private Durability durability = OtlpFileExporterBuilder.DEFAULT_DURABILITY;
  private Clock clock = Clock.getDefault();
  private MeterProvider meterProvider;

  public void setDirectory(Path directory) {
    this.directory = directory;
  }

  public void setFormat(OtlpFileFormat format) {
    this.format = format;
  }

  public OtlpFileFormat getFormat() {
    return format;
  }

  public void setBufferCapacity(long bytes) {
    this.bufferCapacityBytes = bytes;
  }

  public void setOverflowPolicy(OverflowPolicy overflowPolicy) {
    this.overflowPolicy = overflowPolicy;
  }

  public void setMaxFileSize(long bytes) {
    this.maxFileSizeBytes = bytes;
  }

  public void setMaxFileAge(Duration maxFileAge) {
    this.maxFileAge = maxFileAge;
  }

  public void setMaxFiles(int maxFiles) {
    this.maxFiles = maxFiles;
  }

  public void setMaxTotalSize(long bytes) {
    this.maxTotalSizeBytes = bytes;
  }

  public void setMaxAge(Duration maxAge) {
    this.maxAge = maxAge;
  }

  public void setCompression(Compression compression) {
    this.compression = compression;
  }

  public void setDurability(Durability durability) {
    this.durability = durability;
  }

  public void setClock(Clock clock) {
    this.clock = clock;
  }

  public void setMeterProvider(MeterProvider meterProvider) {
    this.meterProvider = meterProvider;
  }

  /** The meter provider, or {@code null} if none was set. */
  public MeterProvider getMeterProvider() {
    return meterProvider;
  }

  /** Checks every setting without touching the file system; throws naming the bad setting. */
  public void validate() {
    if (bufferCapacityBytes <= 0) {
      throw new IllegalArgumentException(
          "bufferCapacity must be > 0, but was " + bufferCapacityBytes);
    }
    if (maxFileSizeBytes <= 0) {
      throw new IllegalArgumentException("maxFileSize must be > 0, but was " + maxFileSizeBytes);
    }
    if (maxFileAge.isNegative() || maxFileAge.isZero()) {
      throw new IllegalArgumentException("maxFileAge must be positive, but was " + maxFileAge);
    }
    if (maxFiles <= 0) {
      throw new IllegalArgumentException("maxFiles must be > 0, but was " + maxFiles);
    }
    if (maxTotalSizeBytes <= 0) {
      throw new IllegalArgumentException("maxTotalSize must be > 0, but was " + maxTotalSizeBytes);
    }
    if (maxTotalSizeBytes < maxFileSizeBytes) {
      throw new IllegalArgumentException(
          "maxTotalSize must be >= maxFileSize ("
              + maxFileSizeBytes
              + "), but was "
              + maxTotalSizeBytes);
    }
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxAge must be positive, but was " + maxAge);
    }
  }

  /**
   * Validates every setting and prepares the folder of {@code signal}; throws if anything is wrong.
   */
  public ExporterSettings build(Signal signal) {
    validate();
    prepareDirectory(directory.resolve(signal.getDirectoryName()));
    return new ExporterSettings(
        directory,
        format,
        bufferCapacityBytes,
        overflowPolicy,
        maxFileSizeBytes,
        maxFileAge,
        maxFiles,
        maxTotalSizeBytes,
        maxAge,
        compression,
        durability,
        clock,
        meterProvider);
  }

  private static void prepareDirectory(Path signalDirectory) {
    if (Files.isSymbolicLink(signalDirectory)) {
      throw new IllegalArgumentException(
          "directory " + signalDirectory + " is a symbolic link; refusing to write through it");
    }
    try {
      FileFolder.ensureDirectory(signalDirectory);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "directory " + signalDirectory + " cannot be created: " + e, e);
    }
    if (!Files.isWritable(signalDirectory)) {
      throw new IllegalArgumentException("directory " + signalDirectory + " is not writable");
    }
  }
}
