package io.github.otlpfile.internal.autoconfigure;

import io.github.otlpfile.OtlpFileExporterBuilder;
import io.github.otlpfile.internal.Signal;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.util.function.BiConsumer;

/**
 * One {@code otel.exporter.otlp.file.*} setting: its name, how its value is read and the builder
 * setter that takes it. Each setting exists twice: {@code otel.exporter.otlp.file.NAME} for all
 * signals and {@code otel.exporter.otlp.file.SIGNAL.NAME} for one, which wins when set.
 *
 * <p>Immutable.
 *
 * @param <V> the type of the value
 */
final class FileExporterProperty<V> {
  static final String PREFIX = "otel.exporter.otlp.file.";

  private final String name;
  private final ValueReader<V> reader;
  private final BiConsumer<OtlpFileExporterBuilder<?>, V> setter;

  FileExporterProperty(
      String name, ValueReader<V> reader, BiConsumer<OtlpFileExporterBuilder<?>, V> setter) {
    this.name = name;
    this.reader = reader;
    this.setter = setter;
  }

  /** The name after the prefix, for example {@code max.file.size}. */
  String getName() {
    return name;
  }

  /** The key for all signals, for example {@code otel.exporter.otlp.file.max.file.size}. */
  String getKey() {
    return PREFIX + name;
  }

  /** The key for one signal, for example {@code otel.exporter.otlp.file.traces.max.file.size}. */
  String getKey(Signal signal) {
    return PREFIX + signal.getDirectoryName() + "." + name;
  }

  /** The key whose value applies to {@code signal}: its own when set, otherwise the shared one. */
  String effectiveKey(ConfigProperties config, Signal signal) {
    String signalKey = getKey(signal);
    return ValueReaders.string(config, signalKey) != null ? signalKey : getKey();
  }

  /** The value that applies to {@code signal}, or {@code null} when neither key is set. */
  V read(ConfigProperties config, Signal signal) {
    return reader.read(config, effectiveKey(config, signal));
  }

  /** Hands the configured value to {@code builder}; leaves the builder's default when unset. */
  void apply(ConfigProperties config, Signal signal, OtlpFileExporterBuilder<?> builder) {
    V value = read(config, signal);
    if (value != null) {
      setter.accept(builder, value);
    }
  }
}
