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

  @Test
  void endToEndSectionFindsHighestSustainedRatesAndCpuAtTheCommonRate() {
    String text =
        new Report(
                List.of(
                    endToEnd("none", 50_000, 50_000, 0, 3_000),
                    endToEnd("none", 100_000, 99_000, 0, 2_500),
                    endToEnd("ours_protobuf", 50_000, 49_900, 0, 5_000),
                    endToEnd("ours_protobuf", 100_000, 99_500, 0, 4_500),
                    endToEnd("ours_jsonl", 50_000, 50_000, 0, 12_000),
                    endToEnd("ours_jsonl", 100_000, 99_000, 3_000, 11_000),
                    endToEnd("contrib_64m", 50_000, 50_000, 0, 6_000),
                    endToEnd("contrib_64m", 100_000, 100_000, 20_000, 5_500),
                    endToEnd("stdout", 50_000, 50_000, 0, 10_000),
                    // Lost nothing, but the application threads fell behind: not sustained.
                    endToEnd("stdout", 100_000, 90_000, 0, 9_000)))
            .render("T", "abc", null, "C", false);
    assertThat(text).contains("| 0.250 | 2.00 | 1.00× | 5.00 |");
    assertThat(text).contains("## End to end: 4 application threads through the SDK");
    assertThat(text)
        .contains("| ours, `PROTOBUF` | 100.0 k/s | 49.9 k ✓ | 99.5 k ✓ |")
        .contains("| contrib `*ToDiskExporter`, 64 MiB files | 50.0 k/s | 50.0 k ✓ |")
        // 20,000 lost of 200,000 ended.
        .contains("| 100.0 k, 10.0% lost |")
        .contains("| `OtlpStdout*Exporter` → file | 50.0 k/s | 50.0 k ✓ | 90.0 k |");
    assertThat(text).contains("CPU per span at 50.0 k spans/s, the highest rate every exporter");
    // 5 µs per span, 2 of it the exporter's; contrib 6 µs is 1.2× ours.
    assertThat(text)
        .contains("| ours, `PROTOBUF` | 49.9 k | 5.00 ± 0.500 | 0.250 | 2.00 | 1.00× |")
        .contains("| contrib `*ToDiskExporter`, 64 MiB files | 50.0 k | 6.00 ± 0.600 | 0.300 |")
        .contains(
            "| end to end, 4 threads: `ours_protobuf` ≥ 1.5× `contrib_64m` sustained spans/s |"
                + " 2.00× | PASS |")
        .contains(
            "| end to end, 4 threads: `ours_jsonl` ≥ 1.2× `stdout` sustained spans/s | 1.00× |"
                + " MISS by 17%")
        .contains(
            "| end to end: `ours_protobuf` CPU per span ≤ 1× the lower of `contrib_64m` and"
                + " `stdout` at 50.0 k spans/s | 0.833× | PASS |")
        .contains(
            "| end to end: `ours_jsonl` CPU per span ≤ 1× `stdout` at 50.0 k spans/s | 1.20×");
  }

  @Test
  void aRateNobodySustainedMissesTheRateTargetsAndIsNamedInTheCpuOne() {
    assertThat(Report.sustainedRatio(0, 0)).isZero();
    assertThat(Report.sustainedRatio(0, 50_000)).isZero();
    assertThat(Report.sustainedRatio(50_000, 0)).isInfinite();
    String text =
        new Report(
                List.of(
                    endToEnd("ours_protobuf", 50_000, 50_000, 10, 5_000),
                    endToEnd("contrib_64m", 50_000, 50_000, 0, 6_000),
                    endToEnd("stdout", 50_000, 40_000, 0, 9_000)))
            .render("T", "abc", null, "C", false);
    assertThat(text)
        .contains("| ours, `PROTOBUF` | none of these | 50.0 k, 0.010% lost |")
        .contains("`ours_protobuf` ≥ 1.5× `contrib_64m` sustained spans/s | 0.000× | MISS by 100%")
        .contains("the lowest rate measured: **no rate was sustained by every exporter**")
        .contains("`stdout` at 50.0 k spans/s (not sustained by all) | 0.833× | PASS |")
        // 10 of 100,000 spans lost: CPU per span exported is a little above 5 µs per span ended.
        .contains("| ours, `PROTOBUF` | 50.0 k | 5.00 ± 0.500 | 0.250 | n/a | 1.00× | 5.00 |");
  }

  /** A result of {@code EndToEndBenchmark.span}: 2 measured iterations of 1 s at {@code rate}. */
  private static JsonNode endToEnd(
      String exporter, int rate, double achieved, long lost, double cpuNanosPerSpan) {
    ObjectNode r = MAPPER.createObjectNode();
    r.put("benchmark", "io.github.otlpfile.benchmarks.endtoend.EndToEndBenchmark.span");
    r.put("forks", 1).put("warmupIterations", 1).put("warmupTime", "2 s");
    r.put("measurementIterations", 2).put("measurementTime", "1 s");
    r.putObject("params").put("exporter", exporter).put("rate", Integer.toString(rate));
    r.putObject("primaryMetric").put("score", achieved).put("scoreError", Double.NaN);
    ObjectNode secondary = r.putObject("secondaryMetrics");
    secondary.putObject("ended").put("score", 2 * achieved);
    secondary.putObject("dropped").put("score", lost);
    secondary.putObject("failed").put("score", 0);
    metric(secondary, "·cpu.ns/op", cpuNanosPerSpan);
    secondary.putObject("·cpu.cores").put("score", cpuNanosPerSpan * achieved / 1e9);
    return r;
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
