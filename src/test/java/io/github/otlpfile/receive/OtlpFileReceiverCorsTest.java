package io.github.otlpfile.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.otlpfile.read.OtlpFileReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CORS for browser senders: off by default; allowed origins get preflight answers, others none. */
class OtlpFileReceiverCorsTest {
  private static final String APP = "https://app.example.com";
  private static final String EVIL = "https://evil.example.com";

  @TempDir Path dir;
  private final HttpClient client = HttpClient.newHttpClient();

  private HttpResponse<String> preflight(OtlpFileReceiver receiver, String origin)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(receiver.getHttpEndpoint() + "/v1/traces"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type, authorization")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postJson(OtlpFileReceiver receiver, String origin, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(receiver.getHttpEndpoint() + "/v1/traces"))
            .header("Origin", origin)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(ReceiverJson.SPAN));
    if (token != null) {
      request.header("Authorization", token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void allowedOriginsGetPreflightAnswersAndOthersNothing() throws Exception {
    try (OtlpFileReceiver receiver =
        OtlpFileReceiver.builder()
            .setDirectory(dir)
            .setHttpPort(0)
            .setGrpcPort(-1)
            .setRequiredHeader("Authorization", "Bearer t")
            .setCorsAllowedOrigins(APP, "http://localhost:3000")
            .build()
            .start()) {
      HttpResponse<String> allowed = preflight(receiver, APP);
      assertThat(allowed.statusCode()).isEqualTo(204);
      assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
      assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods"))
          .hasValue("POST, OPTIONS");
      assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers"))
          .hasValue("content-type, authorization");
      assertThat(allowed.headers().firstValue("Vary")).hasValue("Origin");

      HttpResponse<String> refused = preflight(receiver, EVIL);
      assertThat(refused.statusCode()).isEqualTo(401); // an ordinary request without the header
      assertThat(refused.headers().map().keySet())
          .noneMatch(name -> name.toLowerCase().startsWith("access-control-"));

      HttpResponse<String> post = postJson(receiver, APP, "Bearer t");
      assertThat(post.statusCode()).isEqualTo(200);
      assertThat(post.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
      // Errors carry the header too, so that the page can read them.
      HttpResponse<String> unauthorized = postJson(receiver, APP, null);
      assertThat(unauthorized.statusCode()).isEqualTo(401);
      assertThat(unauthorized.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
      HttpResponse<String> other = postJson(receiver, EVIL, "Bearer t");
      assertThat(other.statusCode()).isEqualTo(200); // CORS is the browser's rule, not auth
      assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
      assertThat(receiver.toString()).contains("corsAllowedOrigins=[" + APP);
    }
    assertThat(OtlpFileReader.readSpans(dir)).hasSize(2);
  }

  @Test
  void corsIsOffByDefaultAndStarAllowsAnyOrigin() throws Exception {
    try (OtlpFileReceiver receiver =
        OtlpFileReceiver.builder().setDirectory(dir).setHttpPort(0).setGrpcPort(-1).build()) {
      receiver.start();
      HttpResponse<String> response = preflight(receiver, APP);
      assertThat(response.statusCode()).isEqualTo(405);
      assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
    try (OtlpFileReceiver receiver =
        OtlpFileReceiver.builder()
            .setDirectory(dir)
            .setHttpPort(0)
            .setGrpcPort(-1)
            .setCorsAllowedOrigins("*")
            .build()
            .start()) {
      HttpResponse<String> response = preflight(receiver, EVIL);
      assertThat(response.statusCode()).isEqualTo(204);
      assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
      HttpResponse<String> post = postJson(receiver, EVIL, null);
      assertThat(post.statusCode()).isEqualTo(200);
      assertThat(post.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    }
  }

  @Test
  void badOriginsFailAtBuildNamingTheSetting() {
    for (String bad :
        new String[] {"", "app.example.com", "https://app.example.com/", "https://a/b"}) {
      assertThatThrownBy(
              () -> OtlpFileReceiver.builder().setGrpcPort(-1).setCorsAllowedOrigins(bad).build())
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("corsAllowedOrigins");
    }
    assertThatThrownBy(() -> OtlpFileReceiver.builder().setCorsAllowedOrigins(APP, null))
        .isInstanceOf(NullPointerException.class);
  }
}
