package io.github.otlpfile.cli;

import static io.github.otlpfile.cli.CliFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.otlpfile.OtlpFileFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ValidateCommandTest {
  private static final String SPAN_LINE =
      "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"%s\",\"spanId\":\"%s\","
          + "\"name\":\"x\",\"startTimeUnixNano\":%s,\"endTimeUnixNano\":\"2\"}]}]}]}\n";
  @TempDir Path dir;

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> formats() {
    return CatCommandTest.formats();
  }

  @ParameterizedTest
  @MethodSource("formats")
  void filesWrittenByTheExportersAreValid(OtlpFileFormat format, boolean gzip) {
    CliFixture.write(dir, format, gzip);

    CliFixture.Result result = run("validate", dir.toString());

    assertThat(result.status).as(result.toString()).isZero();
    assertThat(result.out).startsWith("valid: 3 files, ");
    assertThat(result.err).isEmpty();
  }

  @Test
  void eachProblemIsOneLineWithFilePositionAndReason() throws IOException {
    CliFixture.write(dir, OtlpFileFormat.JSON_LINES, false);
    Path traces = CatCommandTest.onlyFile(dir.resolve("traces"));
    long lines = Files.readAllLines(traces).size();
    String id32 = "0123456789abcdef0123456789abcdef";
    String body =
        String.format(SPAN_LINE, id32.substring(2), "0123456789abcdef", "\"1\"")
            + String.format(SPAN_LINE, id32.toUpperCase(), "0123456789abcdef", "1")
            + "not json\n"
            + "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"0123";
    Files.write(traces, body.getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    Path logs = CatCommandTest.onlyFile(dir.resolve("logs"));
    Path wrong = dir.resolve("traces").resolve("traces-logs.jsonl");
    Files.copy(logs, wrong);

    CliFixture.Result result = run("validate", dir.toString());

    assertThat(result.status).isEqualTo(1);
    List<String> out = Arrays.asList(result.out.split("\n"));
    assertThat(out)
        .anyMatch(
            l ->
                l.startsWith(traces + " line " + (lines + 1) + ": INVALID_RECORD: ")
                    && l.contains("is not 32 hex digits"))
        .anyMatch(
            l ->
                l.startsWith(traces + " line " + (lines + 2) + ": OTLP_JSON_RULE: ")
                    && l.contains("must be lowercase hex digits"))
        .anyMatch(l -> l.startsWith(traces + " line " + (lines + 3) + ": INVALID_RECORD: "))
        .anyMatch(l -> l.startsWith(traces + " line " + (lines + 4) + ": TRUNCATED_TAIL: "))
        .anyMatch(l -> l.startsWith(wrong + " line 1: WRONG_SIGNAL: "));
    assertThat(out.get(out.size() - 1)).startsWith("invalid: ").contains(" of 4 files");
  }

  @Test
  void binaryIdsOfTheWrongLengthAreReportedWithTheirOffset() throws IOException {
    io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest request =
        io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                    .addScopeSpans(
                        io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder()
                            .addSpans(
                                io.opentelemetry.proto.trace.v1.Span.newBuilder()
                                    .setTraceId(
                                        com.google.protobuf.ByteString.copyFrom(new byte[15]))
                                    .setSpanId(
                                        com.google.protobuf.ByteString.copyFromUtf8("12345678"))
                                    .setName("short id"))))
            .build();
    byte[] body = request.toByteArray();
    Path file = dir.resolve("traces-bad.binpb");
    Files.write(
        file, java.nio.ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array());

    CliFixture.Result result = run("validate", file.toString());

    assertThat(result.status).isEqualTo(1);
    assertThat(result.out.split("\n")[0])
        .isEqualTo(
            file
                + " byte 0: OTLP_RULE: resourceSpans[0].scopeSpans[0].spans[0].traceId:"
                + " 15 bytes, must be 16");
  }

  @Test
  void jsonPrintsOneObjectPerProblemAndASummary() throws IOException {
    CliFixture.write(dir, OtlpFileFormat.PROTOBUF, true);
    Path traces = CatCommandTest.onlyFile(dir.resolve("traces"));
    byte[] whole = Files.readAllBytes(traces);
    // Cut the gzip file short: the reader sees corrupt compression or a truncated tail.
    Files.write(traces, Arrays.copyOf(whole, whole.length - 12));

    CliFixture.Result result = run("validate", "--json", dir.toString());

    assertThat(result.status).isEqualTo(1);
    String[] lines = result.out.split("\n");
    ObjectMapper mapper = new ObjectMapper();
    JsonNode problem = mapper.readTree(lines[0]);
    assertThat(problem.get("file").asText()).isEqualTo(traces.toString());
    assertThat(problem.get("kind").asText()).isIn("TRUNCATED_TAIL", "CORRUPT_COMPRESSION");
    assertThat(problem.get("offset").isNumber()).isTrue();
    JsonNode summary = mapper.readTree(lines[lines.length - 1]);
    assertThat(summary.get("valid").asBoolean()).isFalse();
    assertThat(summary.get("problems").asLong()).isEqualTo(lines.length - 1);
    assertThat(summary.get("files").asLong()).isEqualTo(3);
  }

  @Test
  void aFileOfMixedSignalsIsReported() throws IOException {
    CliFixture.write(dir, OtlpFileFormat.JSON_LINES, false);
    Path mixed = dir.resolve("mixed.jsonl");
    byte[] traces = Files.readAllBytes(CatCommandTest.onlyFile(dir.resolve("traces")));
    byte[] logs = Files.readAllBytes(CatCommandTest.onlyFile(dir.resolve("logs")));
    Files.write(mixed, traces);
    Files.write(mixed, logs, StandardOpenOption.APPEND);

    CliFixture.Result result = run("validate", mixed.toString());

    assertThat(result.status).isEqualTo(1);
    assertThat(result.out).contains(mixed + " line ").contains(": MIXED_SIGNALS: a logs record");
  }
}
