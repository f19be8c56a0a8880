package io.github.otlpfile.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.otlpfile.OtlpFileFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ViewCommandTest {
  @TempDir Path directory;

  @Test
  void servesTheFilesAndPrintsTheAddressUntilInterrupted() throws Exception {
    assertThat(
            OtlpFileCommand.execute(
                "demo",
                "-d",
                directory.toString(),
                "-f",
                OtlpFileFormat.JSON_LINES.name(),
                "-n",
                "30"))
        .isZero();
    CliFixture.Running view = CliFixture.start("view", "--no-open", directory.toString());
    Pattern address = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+/)");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> address.matcher(view.out()).find() || !view.isAlive());
    assertThat(view.err()).isEmpty();
    Matcher matcher = address.matcher(view.out());
    assertThat(matcher.find()).isTrue();
    URI uri = URI.create(matcher.group(1));

    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              HttpResponse<String> summary =
                  http.send(
                      HttpRequest.newBuilder(uri.resolve("/api/summary")).build(),
                      HttpResponse.BodyHandlers.ofString());
              assertThat(summary.statusCode()).isEqualTo(200);
              assertThat(summary.body()).contains("\"spans\":90").contains("\"indexing\":false");
            });
    assertThat(
            http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body())
        .contains("<title>otlp-file view</title>");
    assertThat(view.out()).doesNotContain("in a browser");

    int status = view.stop();
    assertThat(view.isAlive()).isFalse();
    assertThat(status).isNotZero();
  }

  @Test
  void badUsageExitsWithTwo() {
    assertThat(OtlpFileCommand.execute("view")).isEqualTo(2);
    StringWriter err = new StringWriter();
    assertThat(
            OtlpFileCommand.execute(
                new PrintWriter(new StringWriter()),
                new PrintWriter(err, true),
                "view",
                "--no-open",
                directory.resolve("missing").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).startsWith("otlp-file view: No such file or folder: ");
    assertThat(CliFixture.run("view", "--help").out)
        .contains("Usage: otlp-file view", "--verbose", "--no-open", "--port", "--watch");
    assertThat(
            OtlpFileCommand.execute("view", "--no-open", directory.resolve("missing").toString()))
        .isEqualTo(2);
    assertThat(
            OtlpFileCommand.execute("view", "--no-open", "--port", "70000", directory.toString()))
        .isEqualTo(2);
    assertThat(
            OtlpFileCommand.execute(
                "view", "--no-open", "--bind", "192.0.2.1", directory.toString()))
        .isEqualTo(2);
    assertThat(
            OtlpFileCommand.execute("view", "--no-open", "--bind", "0.0.0.0", directory.toString()))
        .isEqualTo(2);
  }
}
