package io.github.otlpfile.testing;

import static java.util.Objects.requireNonNull;

import io.github.otlpfile.OtlpFileFormat;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Configures an {@link OtlpFileExtension}. Not thread-safe; build once, in a static field.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final OtlpFileExtension otel = OtlpFileExtension.builder()
 *     .setFormat(OtlpFileFormat.PROTOBUF)
 *     .setResource(Resource.getDefault().merge(Resource.builder().put("service.name", "orders").build()))
 *     .setDefaultTimeout(Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 */
public final class OtlpFileExtensionBuilder {
  /** The default format of the files: {@link OtlpFileFormat#JSON_LINES}, readable with cat. */
  public static final OtlpFileFormat DEFAULT_FORMAT = OtlpFileFormat.JSON_LINES;

  /**
   * How long the {@code await*} methods without a timeout wait: {@value #DEFAULT_TIMEOUT_SECONDS}
   * s.
   */
  public static final long DEFAULT_TIMEOUT_SECONDS = 10;

  OtlpFileFormat format = DEFAULT_FORMAT;
  Resource resource = Resource.getDefault();
  Duration defaultTimeout = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
  Path directory; // null: a new temporary directory per extension
  boolean keepFiles;
  final List<Supplier<? extends SpanProcessor>> spanProcessors = new ArrayList<>();
  final List<Supplier<? extends LogRecordProcessor>> logRecordProcessors = new ArrayList<>();

  OtlpFileExtensionBuilder() {}

  /**
   * Sets the format of the files the SDK and the receiver write. If unset, defaults to {@link
   * #DEFAULT_FORMAT}.
   */
  public OtlpFileExtensionBuilder setFormat(OtlpFileFormat format) {
    this.format = requireNonNull(format, "format");
    return this;
  }

  /**
   * Sets the resource of the SDK that {@link OtlpFileExtension#getOpenTelemetry()} returns. If
   * unset, defaults to {@link Resource#getDefault()}.
   */
  public OtlpFileExtensionBuilder setResource(Resource resource) {
    this.resource = requireNonNull(resource, "resource");
    return this;
  }

  /**
   * Sets how long {@code awaitSpans(int)}, {@code awaitMetrics(int)}, {@code awaitLogRecords(int)}
   * and {@code awaitTraces(int)} wait. If unset, defaults to {@value #DEFAULT_TIMEOUT_SECONDS}
   * seconds.
   */
  public OtlpFileExtensionBuilder setDefaultTimeout(Duration timeout) {
    this.defaultTimeout = requireNonNull(timeout, "defaultTimeout");
    return this;
  }

  /**
   * Sets the folder under which each test gets its own directory. If unset, a new temporary
   * directory is made for the extension (and removed once empty).
   */
  public OtlpFileExtensionBuilder setDirectory(Path directory) {
    this.directory = requireNonNull(directory, "directory");
    return this;
  }

  /**
   * Keeps the files of tests that pass too. If unset, a passed test's directory is removed after
   * the test; a failed test's directory is always kept and its path printed.
   */
  public OtlpFileExtensionBuilder setKeepFiles(boolean keepFiles) {
    this.keepFiles = keepFiles;
    return this;
  }

  /**
   * Adds a span processor to every test's SDK, before the one that writes the files (so that what
   * it sets on a span at its start is in the file). The supplier is called once per test that uses
   * {@link OtlpFileExtension#getOpenTelemetry()}; the processor is shut down with that test's SDK.
   */
  public OtlpFileExtensionBuilder addSpanProcessor(Supplier<? extends SpanProcessor> processor) {
    spanProcessors.add(requireNonNull(processor, "processor"));
    return this;
  }

  /** Adds a log record processor to every test's SDK, as {@link #addSpanProcessor} does. */
  public OtlpFileExtensionBuilder addLogRecordProcessor(
      Supplier<? extends LogRecordProcessor> processor) {
    logRecordProcessors.add(requireNonNull(processor, "processor"));
    return this;
  }

  /**
   * Returns the extension.
   *
   * @throws IllegalArgumentException if the default timeout is negative or zero
   */
  public OtlpFileExtension build() {
    if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
      throw new IllegalArgumentException(
          "defaultTimeout must be positive, but was " + defaultTimeout);
    }
    return new OtlpFileExtension(this);
  }

  @Override
  public String toString() {
    return "OtlpFileExtensionBuilder{format="
        + format
        + ", directory="
        + (directory == null ? "(temporary)" : directory)
        + ", defaultTimeout="
        + defaultTimeout
        + ", keepFiles="
        + keepFiles
        + ", spanProcessors="
        + spanProcessors.size()
        + ", logRecordProcessors="
        + logRecordProcessors.size()
        + "}";
  }
}
