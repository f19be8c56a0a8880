/*
 * Copyright The otlp-file-exporter Authors
 * SPDX-License-Identifier: Apache-2.0
 */

package io.github.otlpfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerConfigTest {

  @Test
  void defaults() {
    CircuitBreakerConfig config = CircuitBreakerConfig.builder().build();

    assertThat(CircuitBreakerConfig.DEFAULT_FAILURE_THRESHOLD).isEqualTo(5);
    assertThat(CircuitBreakerConfig.DEFAULT_OPEN_DURATION).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.getFailureThreshold()).isEqualTo(5);
    assertThat(config.getOpenDuration()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void getDefaultEqualsAnUnconfiguredBuilder() {
    assertThat(CircuitBreakerConfig.getDefault())
        .isEqualTo(CircuitBreakerConfig.builder().build())
        .hasSameHashCodeAs(CircuitBreakerConfig.builder().build());
    assertThat(CircuitBreakerConfig.getDefault()).isSameAs(CircuitBreakerConfig.getDefault());
  }

  @Test
  void settersApply() {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder()
            .setFailureThreshold(3)
            .setOpenDuration(Duration.ofMillis(1500))
            .build();

    assertThat(config.getFailureThreshold()).isEqualTo(3);
    assertThat(config.getOpenDuration()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void smallestValidValuesAreAccepted() {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder()
            .setFailureThreshold(1)
            .setOpenDuration(Duration.ofNanos(1))
            .build();

    assertThat(config.getFailureThreshold()).isEqualTo(1);
    assertThat(config.getOpenDuration()).isEqualTo(Duration.ofNanos(1));
  }

  @Test
  void failureThresholdMustBePositive() {
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().setFailureThreshold(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failureThreshold must be > 0, but was 0");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().setFailureThreshold(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failureThreshold must be > 0, but was -1");
  }

  @Test
  void openDurationMustBePositive() {
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().setOpenDuration(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("openDuration must be positive, but was PT0S");
    assertThatThrownBy(
            () -> CircuitBreakerConfig.builder().setOpenDuration(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("openDuration must be positive, but was PT-1S");
  }

  @Test
  void openDurationMustNotBeNull() {
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().setOpenDuration(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("openDuration");
  }

  @Test
  void validationHappensInBuild() {
    CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.builder();

    assertThatCode(() -> builder.setFailureThreshold(0).setOpenDuration(Duration.ZERO))
        .doesNotThrowAnyException();
    assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class);

    // A bad value can be corrected before build().
    assertThat(builder.setFailureThreshold(2).setOpenDuration(Duration.ofSeconds(1)).build())
        .isEqualTo(
            CircuitBreakerConfig.builder()
                .setFailureThreshold(2)
                .setOpenDuration(Duration.ofSeconds(1))
                .build());
  }

  @Test
  void equalsAndHashCode() {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder()
            .setFailureThreshold(3)
            .setOpenDuration(Duration.ofSeconds(10))
            .build();
    CircuitBreakerConfig same =
        CircuitBreakerConfig.builder()
            .setFailureThreshold(3)
            .setOpenDuration(Duration.ofSeconds(10))
            .build();

    assertThat(config).isEqualTo(config).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(config)
        .isNotEqualTo(
            CircuitBreakerConfig.builder()
                .setFailureThreshold(4)
                .setOpenDuration(Duration.ofSeconds(10))
                .build())
        .isNotEqualTo(
            CircuitBreakerConfig.builder()
                .setFailureThreshold(3)
                .setOpenDuration(Duration.ofSeconds(11))
                .build())
        .isNotEqualTo(null)
        .isNotEqualTo("CircuitBreakerConfig");
  }

  @Test
  void toStringShowsTheConfiguration() {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder()
            .setFailureThreshold(3)
            .setOpenDuration(Duration.ofSeconds(10))
            .build();

    assertThat(config).hasToString("CircuitBreakerConfig{failureThreshold=3, openDuration=PT10S}");
  }
}
