package io.github.otlpfile.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Field;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static ObjectNode receive(String receiver, double requests, double error) {
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

  @SuppressWarnings("unchecked")
  private static Report report(ObjectNode... results) throws ReflectiveOperationException {
    Report report = new Report();
    Field field = Report.class.getDeclaredField("results");
    field.setAccessible(true);
    for (ObjectNode r : results) {
      ((List<Object>) field.get(report)).add(r);
    }
    return report;
  }

  @Test
  void receiveResultsAloneRenderTheSectionAndBothTargets() throws Exception {
    String text =
        report(
                receive("ours_http_binpb", 900, 20),
                receive("ours_http_jsonl", 300, 10),
                receive("limit_http", 1000, 30),
                receive("ours_grpc_binpb", 500, 15),
                receive("limit_grpc", 800, 25))
            .render("T", "abc", null, "C", false);
    assertThat(text).contains("## Targets").contains("## Receiving OTLP");
    assertThat(text.indexOf("## Targets")).isLessThan(text.indexOf("## Receiving OTLP"));
    assertThat(text)
        .contains("| receiver: `ours_http_binpb` ≥ 0.8× `limit_http` requests/s | 0.900× | PASS |")
        .contains("| receiver: `ours_grpc_binpb` ≥ 0.8× `limit_grpc` requests/s | 0.625× | MISS");
    assertThat(text).contains("| 900 ± 20.0 | 460.8 k ± 10.2 k | 0.900× |");
  }
}
