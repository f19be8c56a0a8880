package io.github.otlpfile.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.otlpfile.internal.file.TestSpans;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OTLP/HTTP delegates against a local endpoint on 127.0.0.1 that answers 200. */
class OtlpHttpForwardingTest {
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            while (body.read() >= 0) {
              // drain
            }
          }
          requests.add(
              exchange.getRequestURI().getPath()
                  + " "
                  + exchange.getRequestHeaders().getFirst("X-Tenant"));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Test
  void spansArePostedToTheUrlWithTheHeaders() {
    String url = url("/v1/traces");
    ForwardDelegate<SpanData> delegate =
        OtlpHttpForwarding.spans(
            url, Collections.singletonMap("X-Tenant", "blue"), Duration.ofSeconds(5), null);

    assertThat(delegate.export(TestSpans.batch("a", 2)).join(10, TimeUnit.SECONDS).isSuccess())
        .isTrue();

    assertThat(requests).containsExactly("/v1/traces blue");
    assertThat(delegate).as("named by its URL").hasToString(url);
    assertThat(delegate.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
  }

  @Test
  void metricsAndLogsGetTheirDelegatesWithOrWithoutAMeterProvider() {
    try (SdkMeterProvider meters = SdkMeterProvider.builder().build()) {
      ForwardDelegate<MetricData> metrics =
          OtlpHttpForwarding.metrics(
              url("/v1/metrics"), Collections.emptyMap(), Duration.ofSeconds(5), null);
      ForwardDelegate<LogRecordData> logs =
          OtlpHttpForwarding.logs(
              url("/v1/logs"),
              Collections.singletonMap("X-Tenant", "red"),
              Duration.ofSeconds(5),
              meters);
      ForwardDelegate<SpanData> spans =
          OtlpHttpForwarding.spans(
              url("/v1/traces"), Collections.emptyMap(), Duration.ofSeconds(5), meters);

      assertThat(metrics).hasToString(url("/v1/metrics"));
      assertThat(logs).hasToString(url("/v1/logs"));
      assertThat(spans.export(TestSpans.batch("a", 1)).join(10, TimeUnit.SECONDS).isSuccess())
          .isTrue();
      assertThat(metrics.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(logs.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(spans.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    assertThat(requests).containsExactly("/v1/traces null");
  }
}
