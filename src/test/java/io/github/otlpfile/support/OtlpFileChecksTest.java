package io.github.otlpfile.support;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OtlpFileSpanExporter;
import io.github.otlpfile.internal.file.TestSpans;
import io.github.otlpfile.read.OtlpSignal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The independent check must pass what the exporters write and catch damage on its own. */
class OtlpFileChecksTest {
  @TempDir Path dir;

  @Test
  void convertsHexIdsToBase64WhereverTheyAre() {
    String json =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{"
            + "\"traceId\":\"000102030405060708090a0b0c0d0e0f\",\"spanId\":\"0001020304050607\","
            + "\"parentSpanId\":\"\",\"links\":[{\"traceId\":\"ffffffffffffffffffffffffffffffff\","
            + "\"spanId\":\"ff00000000000000\"}],"
            + "\"attributes\":[{\"key\":\"traceId\",\"value\":{\"stringValue\":\"not an id\"}}]}]}]}]}";

    JsonObject converted =
        JsonParser.parseString(OtlpFileChecks.hexIdsToBase64(json)).getAsJsonObject();

    JsonObject span =
        converted
            .getAsJsonArray("resourceSpans")
            .get(0)
            .getAsJsonObject()
            .getAsJsonArray("scopeSpans")
            .get(0)
            .getAsJsonObject()
            .getAsJsonArray("spans")
            .get(0)
            .getAsJsonObject();
    assertThat(span.get("traceId").getAsString()).isEqualTo("AAECAwQFBgcICQoLDA0ODw==");
    assertThat(span.get("spanId").getAsString()).isEqualTo("AAECAwQFBgc=");
    assertThat(span.get("parentSpanId").getAsString()).isEmpty();
    JsonObject link = span.getAsJsonArray("links").get(0).getAsJsonObject();
    assertThat(link.get("traceId").getAsString()).isEqualTo("/////////////////////w==");
    assertThat(link.get("spanId").getAsString()).isEqualTo("/wAAAAAAAAA=");
    // An attribute named traceId is a value, not a key: left alone.
    assertThat(span.getAsJsonArray("attributes").toString()).contains("not an id");
  }

  @ParameterizedTest
  @EnumSource(OtlpFileFormat.class)
  void passesWhatTheExporterWrites(OtlpFileFormat format) {
    Path file = writeThreeBatches(format);

    assertThat(OtlpFileChecks.assertWellFormed(dir, OtlpSignal.TRACES, format))
        .containsExactly(file);
  }

  @ParameterizedTest
  @EnumSource(OtlpFileFormat.class)
  void failsOnATornLastRecord(OtlpFileFormat format) throws IOException {
    Path file = writeThreeBatches(format);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 3));

    assertThatThrownBy(() -> OtlpFileChecks.assertWellFormed(dir, OtlpSignal.TRACES, format))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void failsOnUnknownFieldsInABinaryRecord() throws IOException {
    Path file = writeThreeBatches(OtlpFileFormat.PROTOBUF);
    byte[] bytes = Files.readAllBytes(file);
    int length = ByteBuffer.wrap(bytes).getInt();
    // Field 15, varint 1, appended to the first record: valid protobuf, unknown to OTLP.
    byte[] extended = new byte[bytes.length + 2];
    ByteBuffer.wrap(extended)
        .putInt(length + 2)
        .put(bytes, 4, length)
        .put((byte) (15 << 3))
        .put((byte) 1)
        .put(bytes, 4 + length, bytes.length - 4 - length);
    Files.write(file, extended);

    assertThatThrownBy(
            () -> OtlpFileChecks.assertWellFormed(dir, OtlpSignal.TRACES, OtlpFileFormat.PROTOBUF))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("unknown fields");
  }

  @Test
  void failsOnAJsonLineBreakingTheOtlpRules() throws IOException {
    Path file = writeThreeBatches(OtlpFileFormat.JSON_LINES);
    String text = Files.readString(file, StandardCharsets.UTF_8);
    // An enum by its name: proto3 JSON, but not OTLP/JSON as the exporters must write it.
    Files.writeString(file, text.replaceFirst("\"kind\":1", "\"kind\":\"SPAN_KIND_INTERNAL\""));

    assertThatThrownBy(
            () ->
                OtlpFileChecks.assertWellFormed(dir, OtlpSignal.TRACES, OtlpFileFormat.JSON_LINES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("OTLP/JSON rules");
  }

  @Test
  void failsOnAFileWithAnotherName() throws IOException {
    Path file = writeThreeBatches(OtlpFileFormat.JSON_LINES);
    Files.copy(file, file.resolveSibling("copy.jsonl"));

    assertThatThrownBy(
            () ->
                OtlpFileChecks.assertWellFormed(dir, OtlpSignal.TRACES, OtlpFileFormat.JSON_LINES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("copy.jsonl");
  }

  private Path writeThreeBatches(OtlpFileFormat format) {
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder().setDirectory(dir).setFormat(format).build();
    for (int i = 0; i < 3; i++) {
      assertThat(exporter.export(TestSpans.batch("b" + i, 4)).join(10, SECONDS).isSuccess())
          .isTrue();
    }
    assertThat(exporter.shutdown().join(10, SECONDS).isSuccess()).isTrue();
    List<Path> files = FileListing.files(dir.resolve("traces"));
    assertThat(files).hasSize(1);
    return files.get(0);
  }
}
