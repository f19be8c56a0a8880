package io.github.otlpfile.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The checker must pass good OTLP/JSON and catch each rule broken on its own. */
class OtlpJsonRulesTest {
  private static final String SPANS =
      "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
          + "\"value\":{\"stringValue\":\"svc\"}},{\"key\":\"n\",\"value\":{\"intValue\":\"-7\"}},"
          + "{\"key\":\"a\",\"value\":{\"arrayValue\":{\"values\":[{\"doubleValue\":1.5},"
          + "{\"boolValue\":true}]}}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"s\",\"version\":\"1\"},"
          + "\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\","
          + "\"spanId\":\"eee19b7ec3c1b174\",\"parentSpanId\":\"\",\"name\":\"n\",\"kind\":2,"
          + "\"startTimeUnixNano\":\"1544712660000000000\",\"endTimeUnixNano\":\"1544712661000000000\","
          + "\"droppedAttributesCount\":0,\"events\":[{\"timeUnixNano\":\"1544712660500000000\","
          + "\"name\":\"e\"}],\"links\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\","
          + "\"spanId\":\"eee19b7ec3c1b175\",\"flags\":257}],\"status\":{\"code\":2,"
          + "\"message\":\"m\"},\"flags\":257}]}]}]}";
  private static final String METRICS =
      "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"h\","
          + "\"histogram\":{\"dataPoints\":[{\"timeUnixNano\":\"1\",\"count\":\"3\",\"sum\":4.5,"
          + "\"min\":0.5,\"max\":\"Infinity\",\"bucketCounts\":[\"1\",\"2\"],"
          + "\"explicitBounds\":[1.0]}],\"aggregationTemporality\":1}},{\"name\":\"c\","
          + "\"sum\":{\"dataPoints\":[{\"asInt\":\"9223372036854775807\",\"exemplars\":"
          + "[{\"asDouble\":1.0,\"traceId\":\"5b8efff798038103d269b633813fc60c\","
          + "\"spanId\":\"eee19b7ec3c1b174\"}]}],\"aggregationTemporality\":2,"
          + "\"isMonotonic\":true}},{\"name\":\"e\",\"exponentialHistogram\":{\"dataPoints\":"
          + "[{\"scale\":-2,\"zeroCount\":\"0\",\"positive\":{\"offset\":-3,"
          + "\"bucketCounts\":[\"4\"]},\"negative\":{}}],\"aggregationTemporality\":2}}]}]}]}";
  private static final String LOGS =
      "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"5\","
          + "\"observedTimeUnixNano\":\"6\",\"severityNumber\":9,\"severityText\":\"INFO\","
          + "\"body\":{\"kvlistValue\":{\"values\":[{\"key\":\"k\",\"value\":"
          + "{\"bytesValue\":\"AP8=\"}}]}},\"flags\":1,\"traceId\":\"\",\"spanId\":\"\","
          + "\"eventName\":\"x\"}]}]}]}";

  @Test
  void acceptsValidRequestsOfEverySignal() {
    assertThat(OtlpJsonRules.checkLine(SPANS, "resourceSpans")).isEmpty();
    assertThat(OtlpJsonRules.checkLine(METRICS, "resourceMetrics")).isEmpty();
    assertThat(OtlpJsonRules.checkLine(LOGS, "resourceLogs")).isEmpty();
    assertThat(OtlpJsonRules.checkContents(bytes(SPANS + "\n" + SPANS + "\n"), "resourceSpans"))
        .isEmpty();
  }

  static Stream<Arguments> brokenLines() {
    return Stream.of(
        broken(
            SPANS,
            "\"5b8efff798038103d269b633813fc60c\"",
            "\"W47/95gDgQPSabYzgT/GDA==\"",
            "traceId: must be 32 lowercase hex digits"),
        broken(
            SPANS,
            "\"eee19b7ec3c1b174\"",
            "\"EEE19B7EC3C1B174\"",
            "spanId: must be 16 lowercase hex digits"),
        broken(
            SPANS,
            "\"parentSpanId\":\"\"",
            "\"parentSpanId\":\"abc\"",
            "parentSpanId: must be 16 lowercase hex digits"),
        broken(
            SPANS,
            "\"1544712660000000000\"",
            "1544712660000000000",
            "startTimeUnixNano: 64-bit integer must be a JSON string"),
        broken(
            SPANS,
            "\"intValue\":\"-7\"",
            "\"intValue\":-7",
            "intValue: 64-bit integer must be a JSON string"),
        broken(
            SPANS, "\"kind\":2", "\"kind\":\"SPAN_KIND_SERVER\"", "kind: enum must be an integer"),
        broken(SPANS, "\"code\":2", "\"code\":2.0", "code: enum must be an integer"),
        broken(
            SPANS,
            "\"droppedAttributesCount\":0",
            "\"droppedAttributesCount\":\"0\"",
            "droppedAttributesCount: 32-bit integer must be a JSON number"),
        broken(
            SPANS,
            "\"startTimeUnixNano\"",
            "\"start_time_unix_nano\"",
            "start_time_unix_nano: key is not lowerCamelCase"),
        broken(SPANS, "\"name\":\"n\",", "\"name\":\"n\",\"name\":\"m\",", "name: duplicate key"),
        broken(SPANS, "\"message\":\"m\"", "\"message\":null", "message: null value"),
        broken(
            SPANS,
            "{\"doubleValue\":1.5}",
            "{\"doubleValue\":1.5,\"intValue\":\"1\"}",
            "AnyValue must hold at most one"),
        broken(
            SPANS,
            "\"doubleValue\":1.5",
            "\"doubleValue\":\"1.5\"",
            "doubleValue: double must be a JSON number"),
        broken(SPANS, "\"resourceSpans\"", "\"resourceLogs\"", "top-level keys must be exactly"),
        broken(SPANS, SPANS, SPANS + SPANS, "more than one JSON value on the line"),
        broken(SPANS, SPANS, "[" + SPANS + "]", "not a JSON object"),
        broken(SPANS, "\"name\":\"n\"", "name:\"n\"", "not strict JSON"),
        broken(METRICS, "[\"1\",\"2\"]", "[1,2]", "bucketCounts[0]: 64-bit integer"),
        broken(METRICS, "\"count\":\"3\"", "\"count\":3", "count: 64-bit integer"),
        broken(METRICS, "\"zeroCount\":\"0\"", "\"zeroCount\":0", "zeroCount: 64-bit integer"),
        broken(
            METRICS,
            "\"aggregationTemporality\":1",
            "\"aggregationTemporality\":\"DELTA\"",
            "aggregationTemporality: enum must be an integer"),
        broken(
            METRICS,
            "\"isMonotonic\":true",
            "\"isMonotonic\":\"true\"",
            "isMonotonic: must be a boolean"),
        broken(METRICS, "\"sum\":4.5", "\"sum\":\"4.5\"", "sum: double must be a JSON number"),
        broken(METRICS, "\"scale\":-2", "\"scale\":\"-2\"", "scale: 32-bit integer"),
        broken(
            METRICS,
            "\"spanId\":\"eee19b7ec3c1b174\"",
            "\"spanId\":\"7uGbfsPBsXQ=\"",
            "exemplars[0].spanId"),
        broken(
            LOGS,
            "\"severityNumber\":9",
            "\"severityNumber\":\"SEVERITY_NUMBER_INFO\"",
            "severityNumber: enum must be an integer"),
        broken(LOGS, "\"AP8=\"", "\"not base64!\"", "bytesValue: bytes must be base64"));
  }

  private static Arguments broken(String valid, String from, String to, String violation) {
    assertThat(valid).contains(from);
    return Arguments.of(valid.replace(from, to), topLevelKey(valid), violation);
  }

  private static String topLevelKey(String line) {
    return line.substring(2, line.indexOf('"', 2));
  }

  @ParameterizedTest
  @MethodSource("brokenLines")
  void reportsEachBrokenRule(String line, String topLevelKey, String violation) {
    assertThat(OtlpJsonRules.checkLine(line, topLevelKey))
        .anySatisfy(found -> assertThat(found).contains(violation));
  }

  @Test
  void reportsBrokenLineFraming() {
    assertThat(OtlpJsonRules.checkContents(bytes(SPANS), "resourceSpans"))
        .containsExactly("the last line does not end with \\n");
    assertThat(OtlpJsonRules.checkContents(bytes(SPANS + "\r\n"), "resourceSpans"))
        .anySatisfy(v -> assertThat(v).contains("\\r"));
    assertThat(OtlpJsonRules.checkContents(bytes(SPANS + "\n\n" + SPANS + "\n"), "resourceSpans"))
        .containsExactly("line 2: empty line");
    assertThat(OtlpJsonRules.checkContents(new byte[0], "resourceSpans"))
        .containsExactly("the file is empty");
    byte[] latin1 =
        (SPANS.replace("\"svc\"", "\"caf\u00e9\"") + "\n").getBytes(StandardCharsets.ISO_8859_1);
    assertThat(OtlpJsonRules.checkContents(latin1, "resourceSpans"))
        .singleElement()
        .satisfies(v -> assertThat(v).startsWith("not valid UTF-8"));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
