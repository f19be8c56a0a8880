package io.github.otlpfile.cli.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index on hand-written files: broken traces (a missing parent, a cycle of parents) are shown
 * whole; a file that grows, is compressed or disappears is followed; damage is reported.
 */
class ViewIndexTest {
  private static final String TRACE = "0102030405060708090a0b0c0d0e0f10";

  @TempDir Path directory;

  @Test
  void brokenTracesKeepEverySpanOnceWithMissingParentsAndCyclesMarked() throws Exception {
    Path file = directory.resolve("traces").resolve("traces-broken.jsonl");
    Files.createDirectories(file.getParent());
    Files.write(
        file,
        List.of(
            request(
                span("a000000000000001", "b000000000000002", "A", 1000),
                span("b000000000000002", "a000000000000001", "B", 2000),
                span("c000000000000003", "ffffffffffffffff", "C", 500),
                span("d000000000000004", "c000000000000003", "D", 600),
                span("e000000000000005", "e000000000000005", "E is its own parent", 700))),
        StandardCharsets.UTF_8);
    ViewIndex index = new ViewIndex(List.of(directory));
    index.refresh();
    ViewApi api = new ViewApi(index, false);

    JsonObject list = parse(api.traces(Map.of()));
    JsonObject row = list.getAsJsonArray("traces").get(0).getAsJsonObject();
    assertThat(row.get("rootMissing").getAsBoolean()).isTrue();
    assertThat(row.get("name").getAsString()).isEqualTo("C");
    assertThat(row.get("spanCount").getAsInt()).isEqualTo(5);

    JsonObject trace = parse(api.trace(TRACE));
    JsonArray spans = trace.getAsJsonArray("spans");
    assertThat(ViewApiTest.names(spans)).containsExactly("C", "D", "E is its own parent", "A", "B");
    Map<String, JsonObject> byName = new HashMap<>();
    for (JsonElement span : spans) {
      byName.put(span.getAsJsonObject().get("name").getAsString(), span.getAsJsonObject());
    }
    assertThat(byName.get("C").has("parentMissing")).isTrue();
    assertThat(byName.get("D").get("depth").getAsInt()).isEqualTo(1);
    assertThat(byName.get("A").has("cycle")).isTrue();
    assertThat(byName.get("B").get("depth").getAsInt()).isEqualTo(1);
    assertThat(byName.get("E is its own parent").has("cycle")).isTrue();
    assertThat(trace.get("missingParents").getAsInt()).isEqualTo(1);
    assertThat(trace.get("cycles").getAsInt()).isEqualTo(2);
  }

  @Test
  void aGrowingFileIsReadOnFromWhereItWasAndDamageIsReported() throws Exception {
    Path file = directory.resolve("traces-grow.jsonl");
    Files.write(file, List.of(request(span("a000000000000001", "", "first", 1000))));
    ViewIndex index = new ViewIndex(List.of(directory));
    assertThat(index.refresh()).isTrue();
    assertThat(index.refresh()).isFalse();
    assertThat(index.stats().spans).isEqualTo(1);

    Files.write(
        file,
        (request(span("b000000000000002", "a000000000000001", "second", 2000)) + "\n{\"resourceSp")
            .getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.APPEND);
    assertThat(index.refresh()).isTrue();
    ViewIndex.Stats stats = index.stats();
    assertThat(stats.spans).isEqualTo(2);
    assertThat(stats.traces).isEqualTo(1);
    assertThat(stats.problems).singleElement().asString().contains("traces-grow.jsonl line 3");

    // Compressed under the exporters' name: the same content, nothing read twice.
    Path compressed = directory.resolve("traces-grow.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(compressed))) {
      out.write(Files.readAllBytes(file));
    }
    Files.delete(file);
    index.refresh();
    assertThat(index.stats().spans).isEqualTo(2);
    JsonObject trace = parse(new ViewApi(index, true).trace(TRACE));
    assertThat(ViewApiTest.names(trace.getAsJsonArray("spans"))).containsExactly("first", "second");

    // A file retention deleted: the index starts over from what is left.
    Path other = directory.resolve("traces-other.jsonl");
    Files.write(other, List.of(request(span("c000000000000003", "", "other", 3000))));
    index.refresh();
    assertThat(index.stats().spans).isEqualTo(3);
    Files.delete(compressed);
    assertThat(index.refresh()).isTrue();
    assertThat(index.stats().spans).isEqualTo(1);
    assertThat(index.stats().files).isEqualTo(1);
  }

  @Test
  void otherFilesAndHiddenFilesAreLeftOut() throws Exception {
    Files.write(directory.resolve("notes.txt"), List.of("not telemetry"));
    Files.write(
        directory.resolve(".traces-hidden.jsonl"),
        List.of(request(span("a000000000000001", "", "x", 1))));
    ViewIndex index = new ViewIndex(List.of(directory));
    index.refresh();
    assertThat(index.stats().files).isZero();
    assertThat(index.stats().spans).isZero();
  }

  private static JsonObject parse(byte[] json) {
    return JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject();
  }

  private static String span(String id, String parent, String name, long start) {
    return "{\"traceId\":\""
        + TRACE
        + "\",\"spanId\":\""
        + id
        + "\",\"parentSpanId\":\""
        + parent
        + "\",\"name\":\""
        + name
        + "\",\"kind\":1,\"startTimeUnixNano\":\""
        + start
        + "\",\"endTimeUnixNano\":\""
        + (start + 100)
        + "\"}";
  }

  private static String request(String... spans) {
    List<String> all = new ArrayList<>(List.of(spans));
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
        + "\"value\":{\"stringValue\":\"broken\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"s\"},"
        + "\"spans\":["
        + String.join(",", all)
        + "]}]}]}";
  }
}
