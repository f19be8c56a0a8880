package io.github.otlpfile.cli;

import static io.github.otlpfile.cli.CliFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import io.github.otlpfile.read.OtlpSignal;
import io.github.otlpfile.support.OtlpFileChecks;
import io.github.otlpfile.support.OtlpJsonRules;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CatCommandTest {
  @TempDir Path dir;

  static Stream<Arguments> formats() {
    return Stream.of(
        Arguments.of(OtlpFileFormat.JSON_LINES, false),
        Arguments.of(OtlpFileFormat.JSON_LINES, true),
        Arguments.of(OtlpFileFormat.PROTOBUF, false),
        Arguments.of(OtlpFileFormat.PROTOBUF, true));
  }

  @ParameterizedTest
  @MethodSource("formats")
  void printsTraceTreesMetricPointsAndLogs(OtlpFileFormat format, boolean gzip) {
    CliFixture.write(dir, format, gzip);

    CliFixture.Result result = run("cat", dir.toString());

    assertThat(result.status).as(result.toString()).isZero();
    assertThat(result.err).isEmpty();
    List<String> lines = Arrays.asList(result.out.split("\n"));
    // The checkout trace as a tree: root, its child, and the grandchild indented under it.
    int root = indexOf(lines, "POST /checkout SERVER");
    assertThat(lines.get(root - 1)).startsWith("trace ").contains("3 spans", "service shop");
    assertThat(lines.get(root + 1)).startsWith("  └─ SELECT cart CLIENT");
    assertThat(lines.get(root + 2)).startsWith("     └─ connect INTERNAL");
    assertThat(lines.get(root)).matches(".* [0-9.]+ (µs|ms|s) .*").contains("http.route=/checkout");
    String login = lines.get(indexOf(lines, "POST /login SERVER"));
    assertThat(login).contains("ERROR: bad password");
    // Metric points and log records with their trace context.
    assertThat(lines)
        .anyMatch(l -> l.contains("shop.orders  sum cumulative monotonic  3  {region=eu}"));
    assertThat(lines)
        .anyMatch(l -> l.contains("shop.latency  histogram cumulative  count=1 sum=0.25"));
    String failed = lines.get(indexOf(lines, "login failed"));
    SpanData loginSpan =
        OtlpFileReader.readSpans(dir).stream()
            .filter(s -> s.getName().equals("POST /login"))
            .findFirst()
            .get();
    assertThat(failed)
        .contains("ERROR", "trace=" + loginSpan.getTraceId())
        .contains("span=")
        .contains("[shop]");
    assertThat(lines.get(indexOf(lines, "outside any span"))).doesNotContain("trace=");
  }

  @Test
  void escapesControlCharactersAndAnsiEscapesFromTheFiles() {
    CliFixture.write(dir, OtlpFileFormat.JSON_LINES, false);

    CliFixture.Result text = run("cat", "--color=always", dir.toString());
    CliFixture.Result json = run("cat", "--json", dir.toString());

    assertThat(text.out)
        .contains("evil\\x1b[31mred\\x1b[0m\\x07bell\\u202eRTL\\r\\nnext")
        .doesNotContain("\u0007", "\u202e", "\r", "\u001b[31mred");
    // Colors, asked for, are the only escape sequences: ours, around our own words.
    assertThat(text.out).contains("\u001b[1mtrace ");
    assertThat(json.out).doesNotContain("\u001b", "\u0007", "\u202e", "\r");
    assertThat(json.out).contains("\\u001B[31mred").contains("\\u202e");
  }

  @ParameterizedTest
  @MethodSource("formats")
  void jsonPrintsOneOtlpJsonRequestPerLineEqualToTheFiles(OtlpFileFormat format, boolean gzip)
      throws Exception {
    CliFixture.write(dir, format, gzip);

    CliFixture.Result result = run("cat", "--json", dir.toString());

    assertThat(result.status).as(result.toString()).isZero();
    List<Message> expected = new ArrayList<>();
    try (OtlpFileReader reader = OtlpFileReader.open(dir)) {
      for (OtlpRecord record : reader) {
        expected.add(record.getRequest());
      }
    }
    String[] lines = result.out.split("\n");
    assertThat(lines).hasSize(expected.size());
    ObjectMapper mapper = new ObjectMapper();
    for (int i = 0; i < lines.length; i++) {
      JsonNode node = mapper.readTree(lines[i]);
      assertThat(node.isObject()).isTrue();
      OtlpSignal signal = signalOf(expected.get(i));
      assertThat(OtlpJsonRules.checkLine(lines[i], OtlpJsonRules.topLevelKey(signal)))
          .as(lines[i])
          .isEmpty();
      assertThat(parse(lines[i], signal)).isEqualTo(expected.get(i));
    }
  }

  @Test
  void filtersBySignalServiceTraceIdNameTimeAndAttribute() {
    CliFixture.write(dir, OtlpFileFormat.JSON_LINES, false);
    SpanData login =
        OtlpFileReader.readSpans(dir).stream()
            .filter(s -> s.getName().equals("POST /login"))
            .findFirst()
            .get();

    assertThat(run("cat", "-s", "logs", dir.toString()).out)
        .contains("cart loaded")
        .doesNotContain("trace ", "shop.orders");
    assertThat(run("cat", "--service", "nobody", dir.toString()).out).isEmpty();
    assertThat(run("cat", "--service", "shop", "-s", "traces", dir.toString()).out)
        .contains("POST /checkout");

    String byTrace = run("cat", "--trace-id", login.getTraceId(), dir.toString()).out;
    assertThat(byTrace).contains("POST /login", "check password", "login failed");
    assertThat(byTrace).doesNotContain("POST /checkout", "cart loaded", "shop.orders");

    String byName = run("cat", "--name", "SELECT*", dir.toString()).out;
    assertThat(byName).contains("SELECT cart").doesNotContain("connect", "POST /checkout");

    assertThat(run("cat", "--attribute", "region=eu", dir.toString()).out)
        .contains("shop.orders")
        .doesNotContain("shop.latency", "POST");
    assertThat(run("cat", "-a", "service.name=shop", "-s", "metrics", dir.toString()).out)
        .contains("shop.orders", "shop.latency");

    assertThat(run("cat", "--since", "1h", dir.toString()).out).contains("POST /login");
    assertThat(run("cat", "--until", "1h", dir.toString()).out).isEmpty();
    assertThat(run("cat", "--since", "2999-01-01T00:00:00Z", dir.toString()).out).isEmpty();
    assertThat(run("cat", "--until", "2999-01-01T00:00:00Z", "-s", "logs", dir.toString()).out)
        .contains("cart loaded");
  }

  @Test
  void jsonWithFiltersKeepsOnlyTheMatchingItems() throws Exception {
    CliFixture.write(dir, OtlpFileFormat.PROTOBUF, false);

    CliFixture.Result result = run("cat", "--json", "--name", "connect", dir.toString());

    assertThat(result.status).isZero();
    String[] lines = result.out.split("\n");
    assertThat(lines).hasSize(1);
    ExportTraceServiceRequest request =
        (ExportTraceServiceRequest) parse(lines[0], OtlpSignal.TRACES);
    assertThat(request.getResourceSpans(0).getScopeSpans(0).getSpansList())
        .extracting(s -> s.getName())
        .containsExactly("connect");
    assertThat(request.getResourceSpans(0).getResource().getAttributesList())
        .anyMatch(kv -> kv.getKey().equals("service.name"));
  }

  @Test
  void damagedFilesAreReportedWithTheirFileAndTheRestIsPrinted() throws IOException {
    CliFixture.write(dir, OtlpFileFormat.JSON_LINES, false);
    Path traces = onlyFile(dir.resolve("traces"));
    Files.write(
        traces,
        "{\"resourceSpans\": [ garbage\n{\"resourceSp".getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.APPEND);
    Path logs = onlyFile(dir.resolve("logs"));
    Files.write(dir.resolve("traces").resolve("traces-extra.jsonl"), Files.readAllBytes(logs));

    CliFixture.Result result = run("cat", dir.toString());

    assertThat(result.status).isEqualTo(1);
    assertThat(result.out).contains("POST /checkout", "login failed");
    List<String> errors = Arrays.asList(result.err.split("\n"));
    assertThat(errors)
        .anyMatch(
            l -> l.startsWith("otlp-file cat: error: " + traces) && l.contains("INVALID_RECORD"))
        .anyMatch(l -> l.contains(traces.toString()) && l.contains("TRUNCATED_TAIL"))
        .anyMatch(l -> l.contains("traces-extra.jsonl line 1: WRONG_SIGNAL"));
    assertThat(errors).allMatch(l -> l.startsWith("otlp-file cat: error: "));
  }

  @Test
  void badUsageExitsWithTwo() {
    assertThat(run("cat", "--signal", "events", dir.toString()).status).isEqualTo(2);
    assertThat(run("cat", "--trace-id", "xyz", dir.toString()).status).isEqualTo(2);
    assertThat(run("cat", "--since", "yesterday", dir.toString()).status).isEqualTo(2);
    assertThat(run("cat", "--attribute", "novalue", dir.toString()).status).isEqualTo(2);
    CliFixture.Result unknown = run("cat", "--no-such-option");
    assertThat(unknown.status).isEqualTo(2);
    assertThat(unknown.err.split("\n"))
        .containsExactly(
            "otlp-file cat: Unknown option: '--no-such-option'",
            "Try 'otlp-file cat --help' for more information.");
  }

  @Test
  void readsTheDirectoryOptionWhenNoPathIsGiven() {
    CliFixture.write(dir, OtlpFileFormat.JSON_LINES, false);

    assertThat(run("cat", "--directory", dir.toString(), "-s", "logs").out).contains("cart loaded");
  }

  static Path onlyFile(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> list = files.collect(Collectors.toList());
      assertThat(list).hasSize(1);
      return list.get(0);
    }
  }

  static int indexOf(List<String> lines, String text) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    throw new AssertionError("no line with '" + text + "' in\n" + String.join("\n", lines));
  }

  static OtlpSignal signalOf(Message request) {
    if (request instanceof ExportTraceServiceRequest) {
      return OtlpSignal.TRACES;
    }
    return request instanceof ExportMetricsServiceRequest ? OtlpSignal.METRICS : OtlpSignal.LOGS;
  }

  /** Parses OTLP/JSON with protobuf-java-util, independently of the reader. */
  static Message parse(String line, OtlpSignal signal) throws IOException {
    Message.Builder builder;
    switch (signal) {
      case TRACES:
        builder = ExportTraceServiceRequest.newBuilder();
        break;
      case METRICS:
        builder = ExportMetricsServiceRequest.newBuilder();
        break;
      default:
        builder = ExportLogsServiceRequest.newBuilder();
    }
    JsonFormat.parser().merge(OtlpFileChecks.hexIdsToBase64(line), builder);
    return builder.build();
  }
}
