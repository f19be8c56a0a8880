package io.github.otlpfile.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The read and receive sections and their targets, rendered from hand-made JMH results. */
class ReportTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int SPANS_PER_FILE = 32 * 512;

  @Test
  void readSectionShowsRatesAllocationAndTargets() {
    String text =
        new Report(
                List.of(
                    read("ours_binary", 30, 100),
                    read("limit_binary", 32, 80),
                    read("ours_jsonl", 10, 400),
                    read("jsonformat_hex", 6, 2000),
                    read("ours_binary_sdk", 15, 900)))
            .render("Benchmarks", "abc1234", null, null, false);

    assertThat(text).contains("## Reading files back");
    // files/s ± error, records/s ± error, spans/s, MB/s, file B/span, alloc B/span ± error, vs.
    assertThat(text)
        .contains(
            "| ours, `.binpb` → messages | 30.0 ± 3.00 | 960 ± 96.0 | 491.5 k | 300 | 610 |"
                + " 100 ± 10.0 | 0.938× `limit_binary` |");
    assertThat(text)
        .contains("| read: `ours_binary` ≥ 0.9× `limit_binary` records/s | 0.938× | PASS |");
    assertThat(text)
        .contains(
            "| read: `ours_jsonl` ≥ 2× `jsonformat_hex` records/s | 1.67× | MISS by 17% (needs"
                + " ≥ 2.00×) |");
    assertThat(text).contains("× | MISS by 100% (needs ≤ 0.500×) |");
    assertThat(text)
        .contains("SDK mapping: 33,333 µs per file (2.03 µs per span) on top of 33,333 µs");
    // The targets table comes before the first section even without export results.
    assertThat(text.indexOf("## Targets")).isLessThan(text.indexOf("## Reading files back"));
  }

  @Test
  void sdkMappingShareIsTheAddedTimeOverTheReadTime() {
    // 20 ms per file with SDK data, 10 ms without: the mapping costs as much as the read.
    assertThat(Report.sdkMappingShare(50, 100)).isCloseTo(1.0, within(1e-9));
    assertThat(Report.sdkMappingShare(80, 100)).isCloseTo(0.25, within(1e-9));
    assertThat(Report.sdkMappingShare(Double.NaN, 100)).isNaN();
  }

  @Test
  void receiveResultsAloneRenderTheSectionAndBothTargets() {
    String text =
        new Report(
                List.of(
                    receive("ours_http_binpb", 900, 20),
                    receive("ours_http_jsonl", 300, 10),
                    receive("limit_http", 1000, 30),
                    receive("ours_grpc_binpb", 500, 15),
                    receive("limit_grpc", 800, 25)))
            .render("T", "abc", null, "C", false);
    assertThat(text).contains("## Targets").contains("## Receiving OTLP");
    assertThat(text.indexOf("## Targets")).isLessThan(text.indexOf("## Receiving OTLP"));
    assertThat(text)
        .contains("| receiver: `ours_http_binpb` ≥ 0.8× `limit_http` requests/s | 0.900× | PASS |")
        .contains("| receiver: `ours_grpc_binpb` ≥ 0.8× `limit_grpc` requests/s | 0.625× | MISS");
    assertThat(text).contains("| 900 ± 20.0 | 460.8 k ± 10.2 k | 0.900× |");
  }

  private static JsonNode receive(String receiver, double requests, double error) {
    ObjectNode r = MAPPER.createObjectNode();
    r.put("benchmark", "io.github.otlpfile.benchmarks.receive.ReceiveBenchmark.export");
    r.put("forks", 1).put("warmupIterations", 3).put("warmupTime", "2 s");
    r.put("measurementIterations", 5).put("measurementTime", "2 s");
    r.putObject("params").put("receiver", receiver);
    r.putObject("primaryMetric").put("score", requests).put("scoreError", error);
    r.putObject("secondaryMetrics")
        .putObject("items")
        .put("score", requests * 512)
        .put("scoreError", error * 512);
    return r;
  }

  /** A result of {@code ReadBenchmark.readFile} at {@code files} per second (± 10%). */
  private static JsonNode read(String reader, double files, double allocPerSpan) {
    ObjectNode r = MAPPER.createObjectNode();
    r.put("benchmark", "io.github.otlpfile.benchmarks.read.ReadBenchmark.readFile");
    r.put("forks", 2);
    r.put("warmupIterations", 3);
    r.put("warmupTime", "2 s");
    r.put("measurementIterations", 5);
    r.put("measurementTime", "2 s");
    r.putObject("params").put("reader", reader);
    r.putObject("primaryMetric").put("score", files).put("scoreError", files / 10);
    ObjectNode secondary = r.putObject("secondaryMetrics");
    metric(secondary, "records", files * 32);
    metric(secondary, "spans", files * SPANS_PER_FILE);
    metric(secondary, "bytes", files * 10e6);
    metric(secondary, "gc.alloc.rate.norm", allocPerSpan * SPANS_PER_FILE);
    return r;
  }

  private static void metric(ObjectNode secondary, String name, double score) {
    secondary.putObject(name).put("score", score).put("scoreError", score / 10);
  }
}
