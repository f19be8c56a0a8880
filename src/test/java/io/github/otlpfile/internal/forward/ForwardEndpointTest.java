package io.github.otlpfile.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.otlpfile.internal.Signal;
import org.junit.jupiter.api.Test;

class ForwardEndpointTest {

  @Test
  void appendsTheSignalPathToABaseUrl() {
    assertThat(ForwardEndpoint.resolve("http://localhost:4318", Signal.TRACES))
        .isEqualTo("http://localhost:4318/v1/traces");
    assertThat(ForwardEndpoint.resolve("http://localhost:4318/", Signal.METRICS))
        .isEqualTo("http://localhost:4318/v1/metrics");
    assertThat(ForwardEndpoint.resolve("https://gateway.example/otlp", Signal.LOGS))
        .isEqualTo("https://gateway.example/otlp/v1/logs");
  }

  @Test
  void keepsAUrlThatAlreadyEndsWithTheSignalPath() {
    assertThat(ForwardEndpoint.resolve("http://localhost:4318/v1/traces", Signal.TRACES))
        .isEqualTo("http://localhost:4318/v1/traces");
    assertThat(ForwardEndpoint.resolve("HTTPS://collector/custom/v1/logs", Signal.LOGS))
        .isEqualTo("HTTPS://collector/custom/v1/logs");
  }

  @Test
  void rejectsTheUrlOfAnotherSignal() {
    assertThatThrownBy(
            () -> ForwardEndpoint.resolve("http://localhost:4318/v1/traces", Signal.METRICS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ends with /v1/traces")
        .hasMessageContaining("/v1/metrics is appended for metrics");
  }

  @Test
  void rejectsWhatIsNotAnHttpUrl() {
    assertThatThrownBy(() -> ForwardEndpoint.resolve("localhost:4318", Signal.TRACES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("forwardEndpoint must be an http or https URL, but was localhost:4318");
    assertThatThrownBy(() -> ForwardEndpoint.resolve("ftp://host/", Signal.TRACES))
        .hasMessage("forwardEndpoint must be an http or https URL, but was ftp://host/");
    assertThatThrownBy(() -> ForwardEndpoint.resolve("http://exa mple", Signal.TRACES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("forwardEndpoint must be an http or https URL, but was http://");
    assertThatThrownBy(() -> ForwardEndpoint.resolve("http:///v1", Signal.TRACES))
        .hasMessage("forwardEndpoint must name a host, but was http:///v1");
    assertThatThrownBy(() -> ForwardEndpoint.resolve("http://h:4318/?a=b", Signal.TRACES))
        .hasMessage(
            "forwardEndpoint must not have a query or fragment, but was http://h:4318/?a=b");
  }

  @Test
  void rejectsUserInfoWithoutEchoingIt() {
    assertThatThrownBy(() -> ForwardEndpoint.resolve("http://me:s3cret@host", Signal.TRACES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("s3cret")
        .hasMessageContaining("setForwardHeaders");
  }

  @Test
  void namesTheMissingArtifact() {
    ClassLoader empty = new ClassLoader(null) {};

    assertThatThrownBy(() -> ForwardEndpoint.requireExporterClass(Signal.LOGS, empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("io.opentelemetry:opentelemetry-exporter-otlp")
        .hasMessageContaining("OtlpHttpLogRecordExporter");
    ForwardEndpoint.requireExporterClass(Signal.TRACES, getClass().getClassLoader());
    ForwardEndpoint.requireExporterClass(Signal.METRICS, getClass().getClassLoader());
    ForwardEndpoint.requireExporterClass(Signal.LOGS, getClass().getClassLoader());
  }
}
