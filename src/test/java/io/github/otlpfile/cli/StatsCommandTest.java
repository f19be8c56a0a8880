package io.github.otlpfile.cli;

import static io.github.otlpfile.cli.CliFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StatsCommandTest {
  @TempDir Path dir;

  static Stream<org.junit.jupiter.params.provider.Arguments> formats() {
    return CatCommandTest.formats();
  }

  @ParameterizedTest
  @MethodSource("formats")
  void jsonCountsWhatTheFilesHold(OtlpFileFormat format, boolean gzip) throws IOException {
    CliFixture.write(dir, format, gzip);
    long records = 0;
    long points = 0;
    try (OtlpFileReader reader = OtlpFileReader.open(dir)) {
      for (OtlpRecord record : reader) {
        records++;
        points += record.getMetrics().isEmpty() ? 0 : record.getItemCount();
      }
    }
    long bytes = 0;
    try (Stream<Path> files = Files.walk(dir)) {
      bytes = files.filter(Files::isRegularFile).mapToLong(StatsCommandTest::size).sum();
    }

    CliFixture.Result result = run("stats", "--json", dir.toString());

    assertThat(result.status).as(result.toString()).isZero();
    assertThat(result.out.split("\n")).hasSize(1);
    JsonNode stats = new ObjectMapper().readTree(result.out);
    assertThat(stats.get("files").asLong()).isEqualTo(3);
    assertThat(stats.get("bytes").asLong()).isEqualTo(bytes);
    assertThat(stats.get("records").asLong()).isEqualTo(records);
    assertThat(stats.get("spans").asLong()).isEqualTo(CliFixture.SPANS);
    assertThat(stats.get("logRecords").asLong()).isEqualTo(CliFixture.LOG_RECORDS);
    assertThat(stats.get("metricDataPoints").asLong()).isEqualTo(points).isGreaterThanOrEqualTo(2);
    assertThat(stats.get("invalidRecords").asLong()).isZero();
    assertThat(stats.get("truncatedTails").asLong()).isZero();
    assertThat(stats.get("services").get("shop").asLong())
        .isEqualTo(CliFixture.SPANS + CliFixture.LOG_RECORDS + points);
    assertThat(stats.get("spanNames").get("POST /login").asLong()).isEqualTo(1);
    assertThat(stats.get("metricNames").get("shop.orders").asLong()).isEqualTo(1);
    assertThat(stats.get("scopes").get("shop-scope 1.0").asLong()).isEqualTo(CliFixture.SPANS);
    assertThat(stats.get("signals").get("traces").get("items").asLong())
        .isEqualTo(CliFixture.SPANS);
    assertThat(stats.get("firstTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
  }

  @Test
  void countsDamageByKind() throws IOException {
    CliFixture.write(dir, OtlpFileFormat.PROTOBUF, false);
    Path traces = CatCommandTest.onlyFile(dir.resolve("traces"));
    // A garbage record that frames but does not parse, then a record cut short.
    Files.write(
        traces,
        new byte[] {0, 0, 0, 3, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 100, 1, 2},
        StandardOpenOption.APPEND);
    Path logs = CatCommandTest.onlyFile(dir.resolve("logs"));
    Files.copy(logs, dir.resolve("metrics").resolve("metrics-from-logs.binpb"));

    CliFixture.Result result = run("stats", "--json", dir.toString());

    assertThat(result.status).isEqualTo(1);
    JsonNode stats = new ObjectMapper().readTree(result.out);
    assertThat(stats.get("spans").asLong()).isEqualTo(CliFixture.SPANS);
    assertThat(stats.get("files").asLong()).isEqualTo(4);
    assertThat(stats.get("truncatedTails").asLong()).isEqualTo(1);
    // The garbage record and each logs record in the metrics folder.
    long logRecordsInMetrics;
    try (OtlpFileReader reader = OtlpFileReader.open(logs)) {
      logRecordsInMetrics = reader.stream().count();
    }
    assertThat(stats.get("invalidRecords").asLong()).isEqualTo(1 + logRecordsInMetrics);
    assertThat(result.err.split("\n"))
        .hasSize((int) (2 + logRecordsInMetrics))
        .allMatch(l -> l.startsWith("otlp-file stats: error: " + dir));
  }

  @Test
  void textOutputAndBoundedNameTables() {
    CliFixture.write(dir, OtlpFileFormat.JSON_LINES, true);

    CliFixture.Result text = run("stats", dir.toString());
    CliFixture.Result capped = run("stats", "--json", "--max-names", "2", dir.toString());

    assertThat(text.status).isZero();
    assertThat(text.out)
        .contains("3 files")
        .contains(CliFixture.SPANS + " spans")
        .contains(CliFixture.LOG_RECORDS + " log records")
        .contains("POST /checkout")
        .contains("time range ");
    assertThat(Arrays.asList(text.out.split("\n")))
        .anyMatch(l -> l.matches("traces +\\d+ +" + CliFixture.SPANS + " .*"));
    assertThat(capped.out).contains("\"(other)\":" + (CliFixture.SPANS - 2));
  }

  @Test
  void badUsageExitsWithTwo() {
    assertThat(run("stats", "--max-names", "0", dir.toString()).status).isEqualTo(2);
    assertThat(run("stats", "--top", "x").status).isEqualTo(2);
  }

  @Test
  void aMissingPathIsAnErrorNamingIt() {
    Path missing = dir.resolve("missing");
    CliFixture.Result result = run("stats", missing.toString());

    assertThat(result.status).isEqualTo(1);
    assertThat(result.err)
        .startsWith("otlp-file stats: error: " + missing)
        .contains("UNREADABLE_FILE");
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
