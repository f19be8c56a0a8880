package io.github.otlpfile.cli.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.read.OtlpFileReader;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The view's JSON API on files the exporters wrote through the real SDK, checked against what the
 * reader reads from the same files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewApiTest {
  @TempDir static Path directory;
  private ViewTelemetry telemetry;
  private ViewServer server;
  private ViewClient client;
  private List<SpanData> spans;
  private List<LogRecordData> logs;
  private List<MetricData> metrics;

  @BeforeAll
  void writeAndServe() throws Exception {
    telemetry = ViewTelemetry.write(directory, OtlpFileFormat.JSON_LINES, false);
    spans = OtlpFileReader.readSpans(directory);
    logs = OtlpFileReader.readLogRecords(directory);
    metrics = OtlpFileReader.readMetrics(directory);
    server =
        ViewServer.startIndexed(List.of(directory), InetAddress.getLoopbackAddress(), 0, false);
    client = new ViewClient(server);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void summaryCountsWhatTheReaderReads() {
    JsonObject summary = client.json("/api/summary");
    Set<String> traceIds = spans.stream().map(SpanData::getTraceId).collect(Collectors.toSet());
    long points = metrics.stream().mapToLong(m -> m.getData().getPoints().size()).sum();
    Set<String> metricNames = metrics.stream().map(MetricData::getName).collect(Collectors.toSet());

    assertThat(summary.get("spans").getAsLong()).isEqualTo(spans.size());
    assertThat(summary.get("traces").getAsLong()).isEqualTo(traceIds.size());
    assertThat(summary.get("logs").getAsLong()).isEqualTo(logs.size());
    assertThat(summary.get("points").getAsLong()).isEqualTo(points);
    assertThat(summary.get("metrics").getAsInt()).isEqualTo(metricNames.size());
    assertThat(summary.get("problemCount").getAsInt()).isZero();
    assertThat(strings(summary.getAsJsonArray("services"))).containsExactly("cart", "checkout");
  }

  @Test
  void traceListFindsTheKnownTraceByNameWithTheReadersCounts() {
    JsonObject list = client.json("/api/traces?name=" + encode("orders/{id}"));

    assertThat(list.get("total").getAsInt()).isEqualTo(1);
    JsonObject row = list.getAsJsonArray("traces").get(0).getAsJsonObject();
    List<SpanData> trace = spansOf(telemetry.checkoutTraceId);
    SpanData root =
        trace.stream().filter(s -> !s.getParentSpanContext().isValid()).findFirst().get();
    assertThat(row.get("traceId").getAsString()).isEqualTo(telemetry.checkoutTraceId);
    assertThat(row.get("name").getAsString()).isEqualTo(ViewTelemetry.ROOT_NAME);
    assertThat(row.get("service").getAsString()).isEqualTo("checkout");
    assertThat(row.get("spanCount").getAsInt()).isEqualTo(trace.size()).isEqualTo(4);
    assertThat(row.get("errorCount").getAsInt())
        .isEqualTo(
            trace.stream().filter(s -> s.getStatus().getStatusCode() == StatusCode.ERROR).count())
        .isEqualTo(1);
    assertThat(row.get("logCount").getAsInt()).isEqualTo(2);
    assertThat(row.get("durationNs").getAsLong())
        .isEqualTo(root.getEndEpochNanos() - root.getStartEpochNanos());
    assertThat(row.get("startUnixNano").getAsString())
        .isEqualTo(Long.toString(root.getStartEpochNanos()));
  }

  @Test
  void traceListFilters() {
    int total = (int) spans.stream().map(SpanData::getTraceId).distinct().count();
    assertThat(client.json("/api/traces").get("total").getAsInt()).isEqualTo(total);
    assertThat(client.json("/api/traces?service=cart").get("total").getAsInt())
        .isEqualTo(ViewTelemetry.OTHER_TRACES);
    JsonObject errors = client.json("/api/traces?status=error");
    assertThat(errors.get("total").getAsInt()).isEqualTo(1);
    assertThat(client.json("/api/traces?status=ok").get("total").getAsInt()).isEqualTo(total - 1);
    // GET /cart traces last 10 + i ms: 30 of them last at least 20 ms, 11 at most 20 ms.
    assertThat(client.json("/api/traces?service=cart&minDurationMs=20").get("total").getAsInt())
        .isEqualTo(30);
    assertThat(client.json("/api/traces?service=cart&maxDurationMs=20").get("total").getAsInt())
        .isEqualTo(11);
    JsonObject byAttribute = client.json("/api/traces?attribute=" + encode("user.id=7"));
    assertThat(byAttribute.get("total").getAsInt()).isEqualTo(1);
    String expected =
        spans.stream()
            .filter(s -> "7".equals(s.getAttributes().get(AttributeKey.stringKey("user.id"))))
            .findFirst()
            .get()
            .getTraceId();
    assertThat(traceIds(byAttribute)).containsExactly(expected);
    assertThat(client.json("/api/traces?attribute=db.system").get("total").getAsInt()).isEqualTo(1);
    assertThat(
            client
                .json("/api/traces?attribute=deployment.environment%3Dtest")
                .get("total")
                .getAsInt())
        .isEqualTo(total);
    long from = ViewTelemetry.at(1000).toEpochMilli();
    long to = ViewTelemetry.at(1000 + 9 * 50).toEpochMilli();
    assertThat(client.json("/api/traces?fromMs=" + from + "&toMs=" + to).get("total").getAsInt())
        .isEqualTo(10);
  }

  @Test
  void traceListPagesNewestFirstAndSortsByDuration() {
    JsonObject first = client.json("/api/traces?service=cart&limit=15");
    JsonObject third = client.json("/api/traces?service=cart&limit=15&offset=30");
    assertThat(first.getAsJsonArray("traces")).hasSize(15);
    assertThat(third.getAsJsonArray("traces")).hasSize(10);
    List<Long> starts = new ArrayList<>();
    for (JsonElement row : first.getAsJsonArray("traces")) {
      starts.add(row.getAsJsonObject().get("startMs").getAsLong());
    }
    assertThat(starts).isSortedAccordingTo(Comparator.reverseOrder());
    // Small first pages (chosen without sorting the whole list) agree with the full order.
    for (String sort : List.of("start", "duration")) {
      List<String> full = traceIds(client.json("/api/traces?sort=" + sort + "&limit=1000"));
      List<String> paged = new ArrayList<>();
      paged.addAll(traceIds(client.json("/api/traces?sort=" + sort + "&limit=4")));
      paged.addAll(traceIds(client.json("/api/traces?sort=" + sort + "&limit=4&offset=4")));
      assertThat(paged).as(sort).isEqualTo(full.subList(0, 8));
      assertThat(client.json("/api/traces?sort=" + sort + "&limit=4").get("total").getAsInt())
          .isEqualTo(full.size());
    }
    JsonObject longest = client.json("/api/traces?service=cart&sort=duration&limit=1");
    assertThat(
            longest.getAsJsonArray("traces").get(0).getAsJsonObject().get("durationNs").getAsLong())
        .isEqualTo((10 + ViewTelemetry.OTHER_TRACES - 1) * 1_000_000L);
  }

  @Test
  void traceHasTheReadersSpansNestedWithEventsLinksResourceScopeAndLogs() {
    JsonObject trace = client.json("/api/trace/" + telemetry.checkoutTraceId);
    List<SpanData> expected = spansOf(telemetry.checkoutTraceId);
    JsonArray got = trace.getAsJsonArray("spans");

    assertThat(got).hasSize(expected.size());
    Map<String, JsonObject> byId = new HashMap<>();
    for (JsonElement element : got) {
      byId.put(element.getAsJsonObject().get("spanId").getAsString(), element.getAsJsonObject());
    }
    for (SpanData span : expected) {
      JsonObject json = byId.get(span.getSpanId());
      assertThat(json).as(span.getName()).isNotNull();
      assertThat(json.get("name").getAsString()).isEqualTo(span.getName());
      assertThat(json.get("parentSpanId").getAsString())
          .isEqualTo(span.getParentSpanContext().isValid() ? span.getParentSpanId() : "");
      assertThat(json.get("durationNs").getAsLong())
          .isEqualTo(span.getEndEpochNanos() - span.getStartEpochNanos());
      assertThat(json.getAsJsonArray("attributes")).hasSize(span.getAttributes().size());
      assertThat(json.get("status").getAsString())
          .isEqualTo(span.getStatus().getStatusCode() == StatusCode.ERROR ? "error" : "unset");
    }
    // Waterfall order: each parent before its children, depth one more than the parent's.
    List<String> order = new ArrayList<>();
    for (JsonElement element : got) {
      JsonObject span = element.getAsJsonObject();
      String parent = span.get("parentSpanId").getAsString();
      if (parent.isEmpty()) {
        assertThat(span.get("depth").getAsInt()).isZero();
      } else {
        assertThat(order).contains(parent);
        assertThat(span.get("depth").getAsInt())
            .isEqualTo(byId.get(parent).get("depth").getAsInt() + 1);
      }
      order.add(span.get("spanId").getAsString());
    }
    assertThat(names(got))
        .containsExactly(ViewTelemetry.ROOT_NAME, "SELECT orders", "pool.acquire", "charge card");

    JsonObject root = got.get(0).getAsJsonObject();
    assertThat(attribute(root, "user.comment")).isEqualTo(ViewTelemetry.HOSTILE);
    assertThat(root.getAsJsonArray("attributes").toString())
        .contains("\"http.response.status_code\",\"value\":500");
    JsonObject charge = byId.get(telemetry.chargeSpanId);
    assertThat(charge.get("statusMessage").getAsString()).isEqualTo("card declined");
    assertThat(charge.getAsJsonArray("events").get(0).getAsJsonObject().get("name").getAsString())
        .isEqualTo("retry");
    assertThat(charge.getAsJsonArray("events").get(0).getAsJsonObject().get("offsetNs").getAsLong())
        .isEqualTo(60_000_000L);
    JsonObject link = charge.getAsJsonArray("links").get(0).getAsJsonObject();
    assertThat(link.get("traceId").getAsString()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(attribute(link, "link.reason")).isEqualTo("retry of");
    JsonObject resource =
        trace.getAsJsonArray("resources").get(root.get("resource").getAsInt()).getAsJsonObject();
    assertThat(resource.get("service").getAsString()).isEqualTo("checkout");
    assertThat(attribute(resource, "deployment.environment")).isEqualTo("test");
    JsonObject scope =
        trace.getAsJsonArray("scopes").get(root.get("scope").getAsInt()).getAsJsonObject();
    assertThat(scope.get("name").getAsString()).isEqualTo("io.example.checkout");
    assertThat(scope.get("version").getAsString()).isEqualTo("1.4.2");

    List<LogRecordData> expectedLogs =
        logs.stream()
            .filter(l -> l.getSpanContext().getTraceId().equals(telemetry.checkoutTraceId))
            .collect(Collectors.toList());
    JsonArray gotLogs = trace.getAsJsonArray("logs");
    assertThat(gotLogs).hasSize(expectedLogs.size()).hasSize(2);
    Set<String> logSpans = new HashSet<>();
    for (JsonElement element : gotLogs) {
      logSpans.add(element.getAsJsonObject().get("spanId").getAsString());
    }
    assertThat(logSpans)
        .containsExactlyInAnyOrderElementsOf(
            expectedLogs.stream()
                .map(l -> l.getSpanContext().getSpanId())
                .collect(Collectors.toList()));
    JsonObject error = gotLogs.get(1).getAsJsonObject();
    assertThat(error.get("spanId").getAsString()).isEqualTo(telemetry.chargeSpanId);
    assertThat(error.get("body").getAsString())
        .isEqualTo("card declined: " + ViewTelemetry.HOSTILE);
    assertThat(error.get("offsetNs").getAsLong()).isEqualTo(85_000_000L);
    assertThat(trace.get("missingParents").getAsInt()).isZero();
    assertThat(trace.get("cycles").getAsInt()).isZero();
  }

  @Test
  void logsListFiltersLikeTheReadersData() {
    JsonObject all = client.json("/api/logs?limit=1000");
    assertThat(all.getAsJsonArray("logs")).hasSize(logs.size());
    assertThat(all.get("more").getAsBoolean()).isFalse();

    JsonObject errors = client.json("/api/logs?minSeverity=17");
    long expectedErrors =
        logs.stream()
            .filter(l -> l.getSeverity().getSeverityNumber() >= Severity.ERROR.getSeverityNumber())
            .count();
    assertThat(errors.getAsJsonArray("logs")).hasSize((int) expectedErrors).hasSize(1);
    JsonObject error = errors.getAsJsonArray("logs").get(0).getAsJsonObject();
    assertThat(error.get("severityText").getAsString()).isEqualTo("ERROR");
    assertThat(error.get("traceId").getAsString()).isEqualTo(telemetry.checkoutTraceId);
    assertThat(attribute(error, "order.id")).isEqualTo("42");
    JsonObject resource =
        errors.getAsJsonArray("resources").get(error.get("resource").getAsInt()).getAsJsonObject();
    assertThat(resource.get("service").getAsString()).isEqualTo("checkout");

    assertThat(client.json("/api/logs?q=LOADED").getAsJsonArray("logs")).hasSize(1);
    assertThat(client.json("/api/logs?attribute=order.id%3D42").getAsJsonArray("logs")).hasSize(2);
    assertThat(client.json("/api/logs?attribute=order.id%3D43").getAsJsonArray("logs")).isEmpty();
    assertThat(client.json("/api/logs?traceId=" + telemetry.checkoutTraceId).getAsJsonArray("logs"))
        .hasSize(2);
    JsonObject firstPage = client.json("/api/logs?limit=1");
    assertThat(firstPage.getAsJsonArray("logs")).hasSize(1);
    assertThat(firstPage.get("more").getAsBoolean()).isTrue();
    JsonObject secondPage = client.json("/api/logs?limit=1&offset=1");
    assertThat(secondPage.getAsJsonArray("logs").get(0).getAsJsonObject().get("body").getAsString())
        .isNotEqualTo(
            firstPage.getAsJsonArray("logs").get(0).getAsJsonObject().get("body").getAsString());
  }

  @Test
  void metricsListAndSeriesMatchTheReader() {
    JsonArray list = client.json("/api/metrics").getAsJsonArray("metrics");
    Map<String, JsonObject> byName = new HashMap<>();
    for (JsonElement element : list) {
      byName.put(element.getAsJsonObject().get("name").getAsString(), element.getAsJsonObject());
    }
    assertThat(byName)
        .containsOnlyKeys(metrics.stream().map(MetricData::getName).collect(Collectors.toSet()));
    JsonObject counter = byName.get("orders.placed");
    assertThat(counter.get("unit").getAsString()).isEqualTo("{order}");
    assertThat(counter.get("type").getAsString()).isEqualTo("sum");
    assertThat(counter.get("temporality").getAsString()).isEqualTo("cumulative");
    assertThat(counter.get("series").getAsInt()).isEqualTo(2);
    assertThat(byName.get("queue.depth").get("type").getAsString()).isEqualTo("gauge");
    assertThat(byName.get("http.server.request.duration").get("type").getAsString())
        .isEqualTo("histogram");

    JsonObject series = client.json("/api/metric/" + counter.get("id").getAsInt());
    Map<String, JsonArray> pointsByPayment = new HashMap<>();
    for (JsonElement element : series.getAsJsonArray("series")) {
      JsonObject one = element.getAsJsonObject();
      pointsByPayment.put(attribute(one, "payment"), one.getAsJsonArray("points"));
    }
    for (String payment : List.of("card", "cash")) {
      List<Long> expected =
          metrics.stream()
              .filter(m -> m.getName().equals("orders.placed"))
              .flatMap(m -> m.getLongSumData().getPoints().stream())
              .filter(p -> payment.equals(p.getAttributes().get(AttributeKey.stringKey("payment"))))
              .map(LongPointData::getValue)
              .collect(Collectors.toList());
      List<Long> got = new ArrayList<>();
      for (JsonElement point : pointsByPayment.get(payment)) {
        got.add(point.getAsJsonObject().get("v").getAsLong());
      }
      // Five collections, and the one at shutdown.
      assertThat(got).as(payment).isEqualTo(expected).hasSize(6);
    }

    JsonObject histogram =
        client.json(
            "/api/metric/" + byName.get("http.server.request.duration").get("id").getAsInt());
    assertThat(histogram.getAsJsonObject("metric").get("unit").getAsString()).isEqualTo("ms");
    JsonArray points =
        histogram.getAsJsonArray("series").get(0).getAsJsonObject().getAsJsonArray("points");
    HistogramPointData last =
        metrics.stream()
            .filter(m -> m.getName().equals("http.server.request.duration"))
            .map(m -> m.getHistogramData().getPoints().iterator().next())
            .reduce((a, b) -> b)
            .get();
    JsonObject lastPoint = points.get(points.size() - 1).getAsJsonObject();
    List<Long> counts = new ArrayList<>();
    lastPoint.getAsJsonArray("counts").forEach(c -> counts.add(c.getAsLong()));
    List<Double> bounds = new ArrayList<>();
    lastPoint.getAsJsonArray("bounds").forEach(b -> bounds.add(b.getAsDouble()));
    assertThat(counts).isEqualTo(last.getCounts());
    assertThat(bounds).isEqualTo(last.getBoundaries());
    assertThat(lastPoint.get("count").getAsLong()).isEqualTo(last.getCount()).isEqualTo(50);
    assertThat(lastPoint.get("sum").getAsDouble()).isEqualTo(last.getSum());
  }

  @Test
  void badRequestsAreNamed() {
    assertThat(client.get("/api/traces?status=maybe").statusCode()).isEqualTo(400);
    assertThat(client.get("/api/traces?status=maybe").body())
        .contains("status must be error or ok");
    assertThat(client.get("/api/traces?limit=-1").statusCode()).isEqualTo(400);
    assertThat(client.get("/api/traces?minDurationMs=soon").body()).contains("minDurationMs");
    assertThat(client.get("/api/trace/0123456789abcdef0123456789abcdef").statusCode())
        .isEqualTo(404);
    assertThat(client.get("/api/trace/not-hex").statusCode()).isEqualTo(400);
    assertThat(client.get("/api/metric/999").statusCode()).isEqualTo(404);
    assertThat(client.get("/api/nothing").statusCode()).isEqualTo(404);
  }

  @ParameterizedTest
  @EnumSource(OtlpFileFormat.class)
  void bothFormatsServeTheSameTrace(OtlpFileFormat format, @TempDir Path other) throws Exception {
    ViewTelemetry written = ViewTelemetry.write(other, format, false);
    try (ViewServer served =
        ViewServer.startIndexed(List.of(other), InetAddress.getLoopbackAddress(), 0, false)) {
      ViewClient otherClient = new ViewClient(served);
      JsonObject trace = otherClient.json("/api/trace/" + written.checkoutTraceId);
      assertThat(names(trace.getAsJsonArray("spans")))
          .containsExactly(ViewTelemetry.ROOT_NAME, "SELECT orders", "pool.acquire", "charge card");
      assertThat(trace.getAsJsonArray("logs")).hasSize(2);
      assertThat(otherClient.json("/api/summary").get("spans").getAsLong())
          .isEqualTo(OtlpFileReader.readSpans(other).size());
    }
  }

  private List<SpanData> spansOf(String traceId) {
    return spans.stream().filter(s -> s.getTraceId().equals(traceId)).collect(Collectors.toList());
  }

  static String attribute(JsonObject holder, String key) {
    for (JsonElement element : holder.getAsJsonArray("attributes")) {
      JsonObject attribute = element.getAsJsonObject();
      if (attribute.get("key").getAsString().equals(key)) {
        return ViewClient.text(attribute.get("value"));
      }
    }
    return null;
  }

  static List<String> names(JsonArray spans) {
    List<String> names = new ArrayList<>();
    spans.forEach(s -> names.add(s.getAsJsonObject().get("name").getAsString()));
    return names;
  }

  private static List<String> strings(JsonArray array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.getAsString()));
    return values;
  }

  private static List<String> traceIds(JsonObject list) {
    List<String> ids = new ArrayList<>();
    list.getAsJsonArray("traces")
        .forEach(t -> ids.add(t.getAsJsonObject().get("traceId").getAsString()));
    return ids;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
