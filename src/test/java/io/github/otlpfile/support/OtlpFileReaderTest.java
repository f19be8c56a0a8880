package io.github.otlpfile.support;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OtlpFileSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OtlpFileReaderTest {
  @TempDir Path dir;

  @Test
  void convertsHexIdsToBase64WhereverTheyAre() {
    String json =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{"
            + "\"traceId\":\"000102030405060708090a0b0c0d0e0f\",\"spanId\":\"0001020304050607\","
            + "\"parentSpanId\":\"\",\"links\":[{\"traceId\":\"ffffffffffffffffffffffffffffffff\","
            + "\"spanId\":\"ff00000000000000\"}],"
            + "\"attributes\":[{\"key\":\"traceId\",\"value\":{\"stringValue\":\"not an id\"}}]}]}]}]}";

    var converted = JsonParser.parseString(OtlpFileReader.hexIdsToBase64(json)).getAsJsonObject();

    var span =
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
    var link = span.getAsJsonArray("links").get(0).getAsJsonObject();
    assertThat(link.get("traceId").getAsString()).isEqualTo("/////////////////////w==");
    assertThat(link.get("spanId").getAsString()).isEqualTo("/wAAAAAAAAA=");
    // An attribute named traceId is a value, not a key: left alone.
    assertThat(span.getAsJsonArray("attributes").toString()).contains("not an id");
  }

  @ParameterizedTest
  @EnumSource(OtlpFileFormat.class)
  void readsGzippedFilesLikePlainOnes(OtlpFileFormat format) throws IOException {
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder().setDirectory(dir).setFormat(format).build();
    SdkTracerProvider provider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    for (int i = 0; i < 3; i++) {
      provider.get("reader-test").spanBuilder("span-" + i).startSpan().end();
    }
    assertThat(provider.shutdown().join(10, SECONDS).isSuccess()).isTrue();
    List<ExportTraceServiceRequest> plain = OtlpFileReader.readTraces(dir);
    assertThat(plain).hasSize(3);

    Path file = OtlpFileReader.files(dir.resolve("traces")).get(0);
    Path gzipped = file.resolveSibling(file.getFileName() + ".gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
      Files.copy(file, out);
    }
    Files.delete(file);

    assertThat(OtlpFileReader.files(dir.resolve("traces"))).containsExactly(gzipped);
    assertThat(OtlpFileReader.readTraces(dir)).isEqualTo(plain);
    if (format == OtlpFileFormat.JSON_LINES) {
      assertThat(OtlpJsonRules.checkFile(gzipped, OtlpFileReader.SignalDir.TRACES)).isEmpty();
    }
  }

  @Test
  void failsOnATornProtobufRecord() throws IOException {
    Path file = dir.resolve("traces-20240501T120000.000Z-abc-1.binpb");
    byte[] request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder().setSchemaUrl("x"))
            .build()
            .toByteArray();
    byte[] framed = new byte[4 + request.length];
    framed[3] = (byte) request.length;
    System.arraycopy(request, 0, framed, 4, request.length);
    Files.write(file, Arrays.copyOf(framed, framed.length - 1));

    assertThatThrownBy(() -> OtlpFileReader.records(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("record 1");
    Files.write(file, Arrays.copyOf(framed, 2));
    assertThatThrownBy(() -> OtlpFileReader.records(file))
        .hasMessageContaining("torn length prefix");
    Files.write(file, framed);
    assertThat(OtlpFileReader.readFile(file, OtlpFileReader.SignalDir.TRACES))
        .containsExactly(ExportTraceServiceRequest.parseFrom(request));
  }

  @Test
  void failsOnAnUnterminatedOrInvalidJsonLine() throws IOException {
    Path file = dir.resolve("logs-20240501T120000.000Z-abc-1.jsonl");
    Files.writeString(file, "{\"resourceLogs\":[]}\n{\"resourceLogs\":[", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> OtlpFileReader.records(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a whole line");

    Files.writeString(file, "{\"resourceLogs\":[]}\n{\"resourceLogs\":\"oops\"}\n");
    assertThatThrownBy(() -> OtlpFileReader.readFile(file, OtlpFileReader.SignalDir.LOGS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("record 2");
  }

  @Test
  void listsFilesInCreationOrder() throws IOException {
    Path traces = Files.createDirectories(dir.resolve("traces"));
    for (String name :
        List.of(
            "traces-20240501T120000.000Z-bbb-10.jsonl",
            "traces-20240501T120000.000Z-bbb-9.jsonl",
            "traces-20240501T115959.999Z-ccc-11.jsonl.gz")) {
      Files.createFile(traces.resolve(name));
    }
    Files.createDirectory(traces.resolve("not-a-file"));

    assertThat(OtlpFileReader.files(traces).stream().map(p -> p.getFileName().toString()))
        .containsExactly(
            "traces-20240501T115959.999Z-ccc-11.jsonl.gz",
            "traces-20240501T120000.000Z-bbb-9.jsonl",
            "traces-20240501T120000.000Z-bbb-10.jsonl");
    assertThat(OtlpFileReader.files(dir.resolve("metrics"))).isEmpty();
  }
}
