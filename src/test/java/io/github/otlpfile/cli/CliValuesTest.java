package io.github.otlpfile.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The one reading of sizes, durations and times that every command shares. */
class CliValuesTest {
  private static final long KIB = 1024L;

  @Test
  void sizesTakeDecimalBinaryAndShortUnits() {
    assertThat(CliValues.bytes("1048576")).isEqualTo(1048576L);
    assertThat(CliValues.bytes("512B")).isEqualTo(512L);
    assertThat(CliValues.bytes("10MB")).isEqualTo(10_000_000L);
    assertThat(CliValues.bytes("2tb")).isEqualTo(2_000_000_000_000L);
    assertThat(CliValues.bytes("64MiB")).isEqualTo(64 * KIB * KIB);
    assertThat(CliValues.bytes("1TiB")).isEqualTo(KIB * KIB * KIB * KIB);
    assertThat(CliValues.bytes("512k")).isEqualTo(512 * KIB);
    assertThat(CliValues.bytes("3 G")).isEqualTo(3 * KIB * KIB * KIB);
    assertThat(CliValues.bytes("1T")).isEqualTo(KIB * KIB * KIB * KIB);
    assertThat(CliValues.bytes("0")).isZero();
  }

  @Test
  void badOrOversizedSizesAreRefusedByName() {
    assertThatThrownBy(() -> CliValues.bytes("12XB"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("'12XB' is not a size");
    assertThatThrownBy(() -> CliValues.bytes("9000000TiB"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("is too large");
    assertThatThrownBy(() -> new CliValues.Size().convert("0"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("must be positive");
  }

  @Test
  void durationsTakeUnitsWeeksAndIso() {
    assertThat(CliValues.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(CliValues.duration("30S")).isEqualTo(Duration.ofSeconds(30));
    assertThat(CliValues.duration("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(CliValues.duration("2w")).isEqualTo(Duration.ofDays(14));
    assertThat(CliValues.duration("PT30S")).isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> CliValues.duration("PT-1S"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("is not a duration");
    assertThatThrownBy(() -> CliValues.duration("5 fortnights"))
        .isInstanceOf(TypeConversionException.class);
  }

  @Test
  void timesAreInstantsOrDurationsAgo() {
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    long nowNanos = now.getEpochSecond() * 1_000_000_000L;
    assertThat(ArgumentConverters.parseTime("2026-12-01T09:00:00Z", clock))
        .isEqualTo(nowNanos - 3600 * 1_000_000_000L);
    assertThat(ArgumentConverters.parseTime("10M", clock))
        .isEqualTo(nowNanos - 600 * 1_000_000_000L);
    assertThat(ArgumentConverters.parseTime("PT10M", clock))
        .isEqualTo(nowNanos - 600 * 1_000_000_000L);
    assertThat(ArgumentConverters.parseTime("1w", clock))
        .isEqualTo(nowNanos - 7 * 86400 * 1_000_000_000L);
    // Further back than 1970 is the start of time, not an error.
    assertThat(ArgumentConverters.parseTime("999999999999d", clock)).isZero();
    assertThatThrownBy(() -> ArgumentConverters.parseTime("yesterday", clock))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("'yesterday' is not a time");
  }

  @Test
  void badHeadersAreNamedByPositionNeverByValue() {
    assertThat(CliValues.headers("--header", Arrays.asList("Authorization=Bearer s3cret")))
        .containsEntry("Authorization", "Bearer s3cret");
    assertThatThrownBy(() -> CliValues.headers("--header", Arrays.asList("a=1", "s3cret")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--header #2")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> CliValues.headers("--header", Arrays.asList("bad name=s3cret")))
        .hasMessageContaining("--header #1")
        .hasMessageNotContaining("s3cret");
  }
}
