package io.github.otlpfile.cli.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.otlpfile.OtlpFileFormat;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page is local and read-only: methods, Host headers, security headers, assets, bind address.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewServerSecurityTest {
  @TempDir static Path directory;
  private ViewServer server;
  private ViewClient client;

  @BeforeAll
  void start() throws Exception {
    ViewTelemetry.write(directory, OtlpFileFormat.PROTOBUF, false);
    server = ViewServer.start(List.of(directory), 0, false);
    client = new ViewClient(server);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void bindsLoopbackAndPrintsItsAddress() {
    assertThat(server.getUri().toString()).isEqualTo("http://127.0.0.1:" + server.getPort() + "/");
    assertThat(server.toString()).contains(server.getUri().toString());
  }

  @Test
  void pageAndApiCarryTheSecurityHeaders() {
    for (String path : List.of("/", "/assets/view.js", "/api/summary", "/api/traces")) {
      HttpResponse<String> response = client.get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Security-Policy"))
          .as(path)
          .hasValueSatisfying(
              csp -> assertThat(csp).startsWith("default-src 'self'").doesNotContain("unsafe"));
      assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }
    assertThat(client.get("/").headers().firstValue("Content-Type"))
        .hasValue("text/html; charset=utf-8");
    assertThat(client.get("/assets/view.css").headers().firstValue("Content-Type"))
        .hasValue("text/css; charset=utf-8");
    assertThat(client.get("/api/summary").headers().firstValue("Content-Type"))
        .hasValue("application/json");
  }

  @Test
  void servesOnlyItsOwnAssets() {
    assertThat(client.get("/").body()).contains("/assets/view.js").doesNotContain("http");
    assertThat(client.get("/assets/view.js").body())
        .doesNotContain("innerHTML")
        .doesNotContain("eval(");
    assertThat(client.get("/assets/../ViewServer.class").statusCode()).isEqualTo(404);
    assertThat(client.get("/io/github/otlpfile/cli/view/view.js").statusCode()).isEqualTo(404);
    assertThat(client.get("/assets/nothing.js").statusCode()).isEqualTo(404);
  }

  @Test
  void everyMethodButGetIsRefused() throws Exception {
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")) {
      String response =
          ViewClient.raw(
              server,
              method
                  + " /api/traces HTTP/1.1\r\nHost: 127.0.0.1:"
                  + server.getPort()
                  + "\r\nContent-Length: 0\r\n");
      assertThat(response).as(method).startsWith("HTTP/1.1 405").contains("Allow: GET");
    }
  }

  @Test
  void otherHostNamesAreRefusedAgainstDnsRebinding() throws Exception {
    int port = server.getPort();
    for (String host :
        List.of("evil.example:" + port, "127.0.0.1", "localhost:1", "127.0.0.1.nip.io:" + port)) {
      String response =
          ViewClient.raw(server, "GET /api/summary HTTP/1.1\r\nHost: " + host + "\r\n");
      assertThat(response).as(host).startsWith("HTTP/1.1 403").doesNotContain("\"spans\"");
    }
    assertThat(ViewClient.raw(server, "GET /api/summary HTTP/1.0\r\n")).startsWith("HTTP/1.1 403");
    for (String host : List.of("localhost:" + port, "LOCALHOST:" + port, "127.0.0.1:" + port)) {
      String response =
          ViewClient.raw(server, "GET /api/summary HTTP/1.1\r\nHost: " + host + "\r\n");
      assertThat(response).as(host).startsWith("HTTP/1.1 200").contains("\"spans\"");
    }
  }

  @Test
  void startRejectsBadArguments() {
    assertThatThrownBy(() -> ViewServer.start(List.of(), 0, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("paths");
    assertThatThrownBy(
            () ->
                ViewServer.start(
                    List.of(directory), InetAddress.getLoopbackAddress(), server.getPort(), false))
        .isInstanceOf(java.io.IOException.class);
  }
}
