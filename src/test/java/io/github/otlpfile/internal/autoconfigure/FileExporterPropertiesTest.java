package io.github.otlpfile.internal.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.otlpfile.internal.Signal;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.io.Closeable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Each property's parsing, precedence, defaults and error messages, for each signal. */
class FileExporterPropertiesTest {
  private static final String PREFIX = "otel.exporter.otlp.file.";

  @TempDir Path dir;

  /** A value other than the default for each property, and how the exporter then describes it. */
  private Map<String, String[]> sampleValues() {
    Map<String, String[]> samples = new LinkedHashMap<>();
    samples.put("directory", new String[] {dir.toString(), "directory=" + dir});
    samples.put("format", new String[] {"binpb", "format=PROTOBUF"});
    samples.put("buffer.capacity", new String[] {"2MiB", "bufferCapacityBytes=2097152"});
    samples.put("overflow.policy", new String[] {"BLOCK", "overflowPolicy=BLOCK"});
    samples.put("max.file.size", new String[] {"10 kb", "maxFileSizeBytes=10000"});
    samples.put("max.file.age", new String[] {"90s", "maxFileAge=PT1M30S"});
    samples.put("durability", new String[] {"every_write", "durability=EVERY_WRITE"});
    samples.put("max.files", new String[] {"12", "maxFiles=12"});
    samples.put("max.total.size", new String[] {"100MB", "maxTotalSizeBytes=100000000"});
    samples.put("max.age", new String[] {"36h", "maxAge=PT36H"});
    samples.put("compression", new String[] {"gzip", "compression=GZIP"});
    samples.put(
        "forward.endpoint",
        new String[] {"http://127.0.0.1:4318", "forwardTo=http://127.0.0.1:4318/v1/"});
    // Protocol and headers leave no trace in the description; dedicated tests check them.
    samples.put("forward.protocol", new String[] {"http/protobuf", "forwardTo=http"});
    samples.put("forward.headers", new String[] {"x-tenant=a", "forwardTo=http"});
    samples.put("forward.timeout", new String[] {"5s", "forwardTimeout=PT5S"});
    samples.put("forward.max.in.flight", new String[] {"2", "forwardMaxInFlight=2"});
    samples.put("forward.catch.up", new String[] {"false", "forwardCatchUp=false"});
    samples.put("forward.catch.up.rate", new String[] {"500", "forwardCatchUpRate=500"});
    samples.put("circuit.breaker.failure.threshold", new String[] {"3", "failureThreshold=3"});
    samples.put("circuit.breaker.open.duration", new String[] {"9s", "openDuration=PT9S"});
    return samples;
  }

  /** Another valid value, to tell a per-signal setting from the shared one. */
  private Map<String, String[]> otherValues() {
    Map<String, String[]> samples = new LinkedHashMap<>();
    Path other = dir.resolve("other");
    samples.put("directory", new String[] {other.toString(), "directory=" + other});
    samples.put("format", new String[] {"JSONL", "format=JSON_LINES"});
    samples.put("buffer.capacity", new String[] {"4096", "bufferCapacityBytes=4096"});
    samples.put("overflow.policy", new String[] {"drop", "overflowPolicy=DROP"});
    samples.put("max.file.size", new String[] {"1GiB", "maxFileSizeBytes=1073741824"});
    samples.put("max.file.age", new String[] {"2h", "maxFileAge=PT2H"});
    samples.put("durability", new String[] {"NONE", "durability=NONE"});
    samples.put("max.files", new String[] {"2000", "maxFiles=2000"});
    samples.put("max.total.size", new String[] {"2GiB", "maxTotalSizeBytes=2147483648"});
    samples.put("max.age", new String[] {"1d", "maxAge=PT24H"});
    samples.put("compression", new String[] {"NONE", "compression=NONE"});
    samples.put(
        "forward.endpoint",
        new String[] {"http://127.0.0.1:4319", "forwardTo=http://127.0.0.1:4319/v1/"});
    samples.put("forward.protocol", new String[] {"HTTP/PROTOBUF", "forwardTo=http"});
    samples.put("forward.headers", new String[] {"x-tenant=b", "forwardTo=http"});
    samples.put("forward.timeout", new String[] {"750ms", "forwardTimeout=PT0.75S"});
    samples.put("forward.max.in.flight", new String[] {"3", "forwardMaxInFlight=3"});
    samples.put("forward.catch.up", new String[] {"TRUE", "forwardCatchUp=true"});
    samples.put("forward.catch.up.rate", new String[] {"20000", "forwardCatchUpRate=20000"});
    samples.put("circuit.breaker.failure.threshold", new String[] {"7", "failureThreshold=7"});
    samples.put("circuit.breaker.open.duration", new String[] {"1m", "openDuration=PT1M"});
    return samples;
  }

  @Test
  void everyPropertyInTheTableIsCoveredHere() {
    assertThat(FileExporterProperties.FILE_PROPERTIES)
        .extracting(FileExporterProperty::getName)
        .containsExactlyElementsOf(sampleValues().keySet())
        .containsExactlyElementsOf(otherValues().keySet());
  }

  @ParameterizedTest
  @EnumSource(Signal.class)
  void everySharedPropertyReachesTheExporter(Signal signal) {
    Map<String, String> properties = new HashMap<>();
    sampleValues().forEach((name, sample) -> properties.put(PREFIX + name, sample[0]));

    String description = describe(signal, properties);

    sampleValues().values().forEach(sample -> assertThat(description).contains(sample[1]));
  }

  @ParameterizedTest
  @EnumSource(Signal.class)
  void everyPerSignalPropertyWinsOverTheSharedOne(Signal signal) {
    Map<String, String> properties = new HashMap<>();
    sampleValues().forEach((name, sample) -> properties.put(PREFIX + name, sample[0]));
    otherValues()
        .forEach(
            (name, other) ->
                properties.put(PREFIX + signal.getDirectoryName() + "." + name, other[0]));

    String description = describe(signal, properties);
    otherValues().values().forEach(other -> assertThat(description).contains(other[1]));

    // The other signals still see the shared values.
    for (Signal otherSignal : Signal.values()) {
      if (otherSignal != signal) {
        String otherDescription = describe(otherSignal, properties);
        sampleValues().values().forEach(s -> assertThat(otherDescription).contains(s[1]));
      }
    }
  }

  @Test
  void oneBreakerSettingKeepsTheOtherDefault() {
    String description =
        describe(
            Signal.TRACES,
            Map.of(
                PREFIX + "directory",
                dir.toString(),
                PREFIX + "forward.endpoint",
                "http://127.0.0.1:4318",
                PREFIX + "traces.circuit.breaker.open.duration",
                "2m"));
    assertThat(description).contains("failureThreshold=5, openDuration=PT2M");
  }

  @Test
  void unsetCatchUpLeavesItOnWhenForwarding() {
    // The builder's default: on, since the reader's libraries are on the class path.
    String description =
        describe(
            Signal.LOGS,
            Map.of(
                PREFIX + "directory",
                dir.toString(),
                PREFIX + "forward.endpoint",
                "http://127.0.0.1:4318"));
    assertThat(description).contains("forwardCatchUp=true");
  }

  @Test
  void aBadCombinationFailsNamingTheSetting() {
    assertThatThrownBy(
            () ->
                describe(
                    Signal.LOGS,
                    Map.of(
                        PREFIX + "directory",
                        dir.toString(),
                        PREFIX + "max.file.size",
                        "1GiB",
                        PREFIX + "max.total.size",
                        "10MiB")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("maxTotalSize");
  }

  @Test
  void unsetPropertiesKeepTheBuilderDefaults() {
    String description = describe(Signal.TRACES, Map.of(PREFIX + "directory", dir.toString()));
    assertThat(description)
        .contains(
            "format=JSON_LINES",
            "bufferCapacityBytes=67108864",
            "overflowPolicy=DROP",
            "maxFileSizeBytes=67108864",
            "maxFileAge=PT1H",
            "durability=ON_ROTATE");
    for (FileExporterProperty<?> property : FileExporterProperties.FILE_PROPERTIES) {
      assertThat(property.effectiveKey(config(Map.of()), Signal.LOGS)).isEqualTo(property.getKey());
    }
  }

  @Test
  void unsetMetricPropertiesKeepTheBuilderDefaults() throws Exception {
    MetricExporter exporter =
        new OtlpFileMetricExporterProvider()
            .createExporter(config(Map.of(PREFIX + "directory", dir.toString())));
    try (Closeable ignored = () -> exporter.shutdown().join(10, TimeUnit.SECONDS)) {
      assertThat(exporter.getMemoryMode()).isEqualTo(MemoryMode.IMMUTABLE_DATA);
      assertThat(exporter.toString())
          .contains(
              "aggregationTemporalitySelector=AggregationTemporalitySelector{COUNTER=CUMULATIVE");
    }
  }

  @Test
  void blankValuesCountAsUnset() {
    Map<String, String> properties =
        Map.of(
            PREFIX + "directory", dir.toString(),
            PREFIX + "traces.directory", "  ",
            PREFIX + "format", "",
            PREFIX + "max.file.age", " ");
    assertThat(describe(Signal.TRACES, properties))
        .contains("directory=" + dir, "format=JSON_LINES", "maxFileAge=PT1H");
  }

  @ParameterizedTest
  @CsvSource({
    "1, 1",
    "123, 123",
    "7b, 7",
    "1 KiB, 1024",
    "64MiB, 67108864",
    "2gib, 2147483648",
    "10kB, 10000",
    "3 MB, 3000000",
    "1GB, 1000000000",
    "2TB, 2000000000000",
    "1TiB, 1099511627776",
    "512k, 524288",
    "4 M, 4194304",
    "' 12 ', 12"
  })
  void byteSizesAcceptUnits(String value, long expected) {
    assertThat(ValueReaders.byteSize(config(Map.of("size", value)), "size")).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"1, 1", "' 500 ', 500", "2147483647, 2147483647"})
  void positiveIntegers(String value, int expected) {
    assertThat(ValueReaders.positiveInt(config(Map.of("n", value)), "n")).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"0", "-3", "2147483648", "1.5", "many"})
  void notPositiveIntegers(String value) {
    assertThatThrownBy(() -> ValueReaders.positiveInt(config(Map.of("n", value)), "n"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("Invalid value for property n=" + value + ". Must be a positive integer.");
  }

  @Test
  void headersAreReadLikeTheOtlpHeadersProperty() {
    ConfigProperties config =
        config(
            Map.of(
                "h", " Authorization = Bearer%20abc%3D%3D , x-tenant=a=b,,",
                "blank", " ",
                "noName", "a=1,=2",
                "noEquals", "a=1,token",
                "badEncoding", "a=secret%zz"));
    assertThat(ValueReaders.headers(config, "h"))
        .containsExactly(Map.entry("Authorization", "Bearer abc=="), Map.entry("x-tenant", "a=b"));
    assertThat(ValueReaders.headers(config, "blank")).isNull();
    assertThatThrownBy(() -> ValueReaders.headers(config, "noName"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "Invalid value for property noName: entry 2 is not name=value."
                + " Expected comma-separated name=value pairs.");
    assertThatThrownBy(() -> ValueReaders.headers(config, "noEquals"))
        .hasMessageContaining("entry 2 is not name=value")
        .hasMessageNotContaining("token");
    assertThatThrownBy(() -> ValueReaders.headers(config, "badEncoding"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "Invalid value for property badEncoding: the value of header a is not URL-encoded.")
        .hasMessageNotContaining("secret");
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("format", "xml", "Must be one of: jsonl, binpb."),
        Arguments.of("traces.format", "json", "Must be one of: jsonl, binpb."),
        Arguments.of("buffer.capacity", "0", "Must be positive."),
        Arguments.of("buffer.capacity", "-5", "Must be a number of bytes"),
        Arguments.of("buffer.capacity", "12 parsecs", "Must be a number of bytes"),
        Arguments.of("metrics.buffer.capacity", "1.5MiB", "Must be a number of bytes"),
        Arguments.of("max.file.size", "99999999999GiB", "too large"),
        Arguments.of(
            "max.file.size", "12XB", "Must be a number of bytes, optionally with a unit: B,"),
        Arguments.of("max.file.size", "99999999999999999999", "too large"),
        Arguments.of("max.file.age", "0", "Must be positive."),
        Arguments.of("max.file.age", "-1s", "Must be positive."),
        Arguments.of("logs.max.file.age", "ten minutes", "Invalid duration property"),
        Arguments.of("max.file.age", "10y", "Invalid duration property"),
        Arguments.of("overflow.policy", "wait", "Must be one of: drop, block."),
        Arguments.of("durability", "always", "Must be one of: none, on_rotate, every_write."),
        Arguments.of("directory", "bad\0path", "Must be a file system path"),
        Arguments.of("max.files", "0", "Must be a positive integer."),
        Arguments.of("max.total.size", "lots", "Must be a number of bytes"),
        Arguments.of("max.age", "-1h", "Must be positive."),
        Arguments.of("compression", "zstd", "Must be one of: none, gzip."),
        Arguments.of("forward.protocol", "grpc", "Must be one of: http/protobuf."),
        Arguments.of("forward.timeout", "0", "Must be positive."),
        Arguments.of("forward.max.in.flight", "none", "Must be"),
        Arguments.of("circuit.breaker.failure.threshold", "-2", "Must be a positive integer."),
        Arguments.of("circuit.breaker.open.duration", "forever", "Invalid duration property"));
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void badFileValuesAreRejectedNamingPropertyAndValue(String name, String value, String why) {
    String key = PREFIX + name;
    Signal signal =
        name.startsWith("metrics.")
            ? Signal.METRICS
            : name.startsWith("logs.") ? Signal.LOGS : Signal.TRACES;
    Map<String, String> properties = new HashMap<>();
    properties.put(PREFIX + "directory", dir.toString());
    properties.put(key, value);

    assertThatThrownBy(() -> describe(signal, properties))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(key + "=" + value)
        .hasMessageContaining(why);
  }

  @Test
  void messagesReadAsDocumented() {
    assertThat(rejection(Signal.TRACES, "format", "xml"))
        .isEqualTo(
            "Invalid value for property otel.exporter.otlp.file.format=xml."
                + " Must be one of: jsonl, binpb.");
    assertThat(rejection(Signal.TRACES, "traces.max.file.size", "0"))
        .isEqualTo(
            "Invalid value for property otel.exporter.otlp.file.traces.max.file.size=0."
                + " Must be positive.");
    assertThat(rejection(Signal.LOGS, "max.file.age", "10y"))
        .isEqualTo(
            "Invalid duration property otel.exporter.otlp.file.max.file.age=10y."
                + " Invalid duration string, found: y");
  }

  private String rejection(Signal signal, String name, String value) {
    Map<String, String> properties =
        Map.of(PREFIX + "directory", dir.toString(), PREFIX + name, value);
    try {
      describe(signal, properties);
    } catch (ConfigurationException e) {
      return e.getMessage();
    }
    throw new AssertionError(name + "=" + value + " was accepted");
  }

  @ParameterizedTest
  @CsvSource({
    "otel.exporter.otlp.metrics.temporality.preference, sideways,"
        + " 'Must be one of: cumulative, delta, lowmemory.'",
    "otel.exporter.otlp.metrics.default.histogram.aggregation, sum,"
        + " 'Must be one of: explicit_bucket_histogram, base2_exponential_bucket_histogram.'",
    "otel.java.exporter.memory_mode, fast, 'Must be one of: reusable_data, immutable_data.'"
  })
  void badMetricValuesAreRejectedNamingPropertyAndValue(String key, String value, String why) {
    Map<String, String> properties = Map.of(PREFIX + "directory", dir.toString(), key, value);
    assertThatThrownBy(() -> describe(Signal.METRICS, properties))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("Invalid value for property " + key + "=" + value + ". " + why);
  }

  /** Builds the exporter for {@code signal} from {@code properties}, returns its description. */
  private static String describe(Signal signal, Map<String, String> properties) {
    ConfigProperties config = config(properties);
    Object exporter;
    switch (signal) {
      case TRACES:
        exporter = new OtlpFileSpanExporterProvider().createExporter(config);
        ((io.opentelemetry.sdk.trace.export.SpanExporter) exporter)
            .shutdown()
            .join(10, TimeUnit.SECONDS);
        break;
      case METRICS:
        exporter = new OtlpFileMetricExporterProvider().createExporter(config);
        ((MetricExporter) exporter).shutdown().join(10, TimeUnit.SECONDS);
        break;
      default:
        exporter = new OtlpFileLogRecordExporterProvider().createExporter(config);
        ((io.opentelemetry.sdk.logs.export.LogRecordExporter) exporter)
            .shutdown()
            .join(10, TimeUnit.SECONDS);
    }
    return exporter.toString();
  }

  private static ConfigProperties config(Map<String, String> properties) {
    return DefaultConfigProperties.createFromMap(properties);
  }
}
