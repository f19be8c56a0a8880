package io.github.otlpfile.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one size syntax of the configuration properties and the command. */
class ByteSizeTest {
  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "1048576, 1048576",
    "512B, 512",
    "10MB, 10000000",
    "10kB, 10000",
    "1GB, 1000000000",
    "2tb, 2000000000000",
    "1 KiB, 1024",
    "64MiB, 67108864",
    "2gib, 2147483648",
    "1TiB, 1099511627776",
    "512k, 524288",
    "3 G, 3221225472",
    "1T, 1099511627776",
    "' 12 m ', 12582912"
  })
  void readsDecimalBinaryAndShortUnitsInAnyCase(String value, long expected) {
    assertThat(ByteSize.parse(value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "MiB", "-5", "1.5MiB", "12XB", "12 parsecs", "5 KiB extra"})
  void refusesWhatIsNotASize(String value) {
    assertThatThrownBy(() -> ByteSize.parse(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a size");
  }

  @ParameterizedTest
  @ValueSource(strings = {"9000000TiB", "99999999999999999999", "8388608T"})
  void refusesWhatDoesNotFitALong(String value) {
    assertThatThrownBy(() -> ByteSize.parse(value)).isInstanceOf(ArithmeticException.class);
  }
}
