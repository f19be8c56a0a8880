package io.github.otlpfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forwarding settings of the builders: defaults, validation in build(), toString(). */
class ForwardingBuilderTest {
  @TempDir Path dir;

  @Test
  void rejectsBothADelegateAndAnEndpoint() {
    OtlpFileSpanExporterBuilder builder =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setForwardTo(InMemorySpanExporter.create())
            .setForwardEndpoint("http://localhost:4318");

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("forwardTo and forwardEndpoint are both set; forward to one of them");
  }

  @Test
  void rejectsACatchUpRateThatIsNotPositive() {
    OtlpFileSpanExporterBuilder builder =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setForwardTo(InMemorySpanExporter.create())
            .setForwardCatchUpRate(0);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("forwardCatchUpRate must be > 0 items per second, but was 0");
  }

  @Test
  void catchUpIsOnByDefaultWhenForwardingAndCanBeTurnedOff() {
    OtlpFileSpanExporter on =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir)
            .setForwardTo(InMemorySpanExporter.create())
            .build();
    OtlpFileSpanExporter off =
        OtlpFileSpanExporter.builder()
            .setDirectory(dir.resolve("off"))
            .setForwardTo(InMemorySpanExporter.create())
            .setForwardCatchUp(false)
            .build();
    try {
      assertThat(on.toString()).contains("forwardCatchUp=true, forwardCatchUpRate=10000");
      assertThat(off.toString()).contains("forwardCatchUp=false");
    } finally {
      on.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
      off.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void rejectsHeadersWithoutAnEndpoint() {
    OtlpFileLogRecordExporterBuilder builder =
        OtlpFileLogRecordExporter.builder()
            .setDirectory(dir)
            .setForwardTo(InMemoryLogRecordExporter.create())
            .setForwardHeaders(Map.of("Authorization", "Bearer s3cret"));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("forwardHeaders [Authorization] are set, but forwardEndpoint is not");
  }

  @Test
  void rejectsBadValuesBeforeCreatingTheFolder() {
    assertThatThrownBy(
            () ->
                OtlpFileSpanExporter.builder()
                    .setDirectory(dir)
                    .setForwardTimeout(Duration.ZERO)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("forwardTimeout must be positive, but was PT0S");
    assertThatThrownBy(
            () ->
                OtlpFileSpanExporter.builder()
                    .setDirectory(dir)
                    .setForwardTimeout(Duration.ofSeconds(-1))
                    .build())
        .hasMessage("forwardTimeout must be positive, but was PT-1S");
    assertThatThrownBy(
            () -> OtlpFileSpanExporter.builder().setDirectory(dir).setForwardMaxInFlight(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("forwardMaxInFlight must be > 0, but was 0");
    assertThatThrownBy(
            () ->
                OtlpFileMetricExporter.builder()
                    .setDirectory(dir)
                    .setForwardEndpoint("localhost:4318")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("forwardEndpoint must be an http or https URL, but was localhost:4318");
    assertThat(dir.resolve("traces")).doesNotExist();
    assertThat(dir.resolve("metrics")).doesNotExist();
  }

  @Test
  void setersRejectNull() {
    OtlpFileSpanExporterBuilder builder = OtlpFileSpanExporter.builder();

    assertThatThrownBy(() -> builder.setForwardTo(null)).hasMessage("forwardTo");
    assertThatThrownBy(() -> builder.setForwardEndpoint(null)).hasMessage("forwardEndpoint");
    assertThatThrownBy(() -> builder.setForwardHeaders(null)).hasMessage("forwardHeaders");
    Map<String, String> nullValue = new java.util.HashMap<>();
    nullValue.put("a", null);
    assertThatThrownBy(() -> builder.setForwardHeaders(nullValue))
        .hasMessage("forwardHeaders value");
    assertThatThrownBy(() -> builder.setForwardTimeout(null)).hasMessage("forwardTimeout");
    assertThatThrownBy(() -> builder.setCircuitBreaker(null)).hasMessage("circuitBreaker");
    assertThatThrownBy(() -> OtlpFileMetricExporter.builder().setForwardTo(null))
        .hasMessage("forwardTo");
    assertThatThrownBy(() -> OtlpFileLogRecordExporter.builder().setForwardTo(null))
        .hasMessage("forwardTo");
  }

  @Test
  void describesForwardingWithoutHeaderValues() {
    OtlpFileMetricExporter exporter =
        OtlpFileMetricExporter.builder()
            .setDirectory(dir)
            .setForwardEndpoint("http://127.0.0.1:4318")
            .setForwardHeaders(Map.of("Authorization", "Bearer s3cret"))
            .setForwardTimeout(Duration.ofSeconds(5))
            .setForwardMaxInFlight(2)
            .setCircuitBreaker(CircuitBreakerConfig.builder().setFailureThreshold(3).build())
            .build();
    try {
      assertThat(exporter.toString())
          .contains(
              "forwardTo=http://127.0.0.1:4318/v1/metrics, forwardTimeout=PT5S,"
                  + " forwardMaxInFlight=2, circuitBreaker=CircuitBreakerConfig{failureThreshold=3,"
                  + " openDuration=PT30S}")
          .doesNotContain("s3cret");
      assertThat(exporter.getStats().getCircuitState()).isEqualTo(CircuitState.CLOSED);
    } finally {
      exporter.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void describesADelegateByItsClassAndDefaults() {
    OtlpFileMetricExporter exporter =
        OtlpFileMetricExporter.builder()
            .setDirectory(dir)
            .setForwardTo(InMemoryMetricExporter.create())
            .build();
    try {
      assertThat(exporter.toString())
          .contains(
              "forwardTo="
                  + InMemoryMetricExporter.class.getName()
                  + ", forwardTimeout=PT30S, forwardMaxInFlight=4, circuitBreaker="
                  + CircuitBreakerConfig.getDefault());
      assertThat(OtlpFileExporterBuilder.DEFAULT_FORWARD_TIMEOUT).isEqualTo(Duration.ofSeconds(30));
      assertThat(OtlpFileExporterBuilder.DEFAULT_FORWARD_MAX_IN_FLIGHT).isEqualTo(4);
    } finally {
      exporter.shutdown().join(10, TimeUnit.SECONDS);
    }
    assertThat(OtlpFileSpanExporter.builder().setDirectory(dir).build().toString())
        .doesNotContain("forwardTo");
  }

  /**
   * Loads the exporter without {@code opentelemetry-exporter-otlp}, as in an application that only
   * writes files: building with a forward endpoint must fail naming the artifact.
   */
  @Test
  void failsClearlyWhenTheOtlpExporterIsNotOnTheClassPath() throws Exception {
    String classPath = System.getProperty("surefire.test.class.path");
    if (classPath == null || classPath.isEmpty()) {
      classPath = System.getProperty("java.class.path");
    }
    Pattern otlpExporterJar = Pattern.compile("opentelemetry-exporter-otlp-\\d[^/]*\\.jar$");
    List<URL> urls = new ArrayList<>();
    boolean removed = false;
    for (String entry : classPath.split(File.pathSeparator)) {
      if (otlpExporterJar.matcher(entry.replace(File.separatorChar, '/')).find()) {
        removed = true;
      } else if (!entry.isEmpty()) {
        urls.add(Paths.get(entry).toUri().toURL());
      }
    }
    assertThat(removed).as("opentelemetry-exporter-otlp found on " + classPath).isTrue();
    try (URLClassLoader loader =
        new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(
              () ->
                  loader.loadClass(
                      "io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter"))
          .isInstanceOf(ClassNotFoundException.class);
      Class<?> exporterClass = loader.loadClass(OtlpFileSpanExporter.class.getName());
      Object builder = exporterClass.getMethod("builder").invoke(null);
      Class<?> builderClass = loader.loadClass(OtlpFileExporterBuilder.class.getName());
      builderClass.getMethod("setDirectory", Path.class).invoke(builder, dir);
      builderClass
          .getMethod("setForwardEndpoint", String.class)
          .invoke(builder, "http://localhost:4318");

      assertThatThrownBy(() -> builder.getClass().getMethod("build").invoke(builder))
          .isInstanceOf(InvocationTargetException.class)
          .cause()
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "forwardEndpoint needs io.opentelemetry:opentelemetry-exporter-otlp on the class"
                  + " path (io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter was"
                  + " not found); add that dependency, or pass an exporter to setForwardTo");
      assertThat(Files.exists(dir.resolve("traces"))).isFalse();

      // Without forwarding, the same class loader builds and writes as usual.
      Object plain = exporterClass.getMethod("builder").invoke(null);
      builderClass.getMethod("setDirectory", Path.class).invoke(plain, dir);
      Object exporter = plain.getClass().getMethod("build").invoke(plain);
      exporterClass.getMethod("shutdown").invoke(exporter);
      assertThat(Files.isDirectory(dir.resolve("traces"))).isTrue();
    }
  }
}
