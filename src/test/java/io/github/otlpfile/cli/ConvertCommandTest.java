package io.github.otlpfile.cli;

import static io.github.otlpfile.cli.CliFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import io.github.otlpfile.read.OtlpSignal;
import io.github.otlpfile.support.OtlpJsonRules;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConvertCommandTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "JSON_LINES,false,binpb",
    "JSON_LINES,true,binpb",
    "PROTOBUF,false,jsonl",
    "PROTOBUF,true,jsonl"
  })
  void roundTripKeepsEveryRequest(OtlpFileFormat format, boolean gzip, String to)
      throws IOException {
    Path in = dir.resolve("in");
    Path once = dir.resolve("once");
    Path back = dir.resolve("back");
    CliFixture.write(in, format, gzip);
    String backTo = to.equals("jsonl") ? "binpb" : "jsonl";

    CliFixture.Result first = run("convert", "--to", to, "--gzip", in.toString(), once.toString());
    CliFixture.Result second = run("convert", "--to", backTo, once.toString(), back.toString());

    assertThat(first.status).as(first.toString()).isZero();
    assertThat(second.status).as(second.toString()).isZero();
    Map<OtlpSignal, List<Message>> original = requests(in);
    assertThat(requests(once)).isEqualTo(original);
    assertThat(requests(back)).isEqualTo(original);
    for (OtlpSignal signal : OtlpSignal.values()) {
      List<Path> files = files(once.resolve(signal.getDirectoryName()));
      assertThat(files).hasSize(1);
      assertThat(files.get(0).getFileName().toString())
          .matches(
              signal.getDirectoryName()
                  + "-\\d{8}T\\d{6}\\.\\d{3}Z-[0-9a-f]{12}-1\\."
                  + to
                  + "\\.gz");
    }
    Path jsonFolder = to.equals("jsonl") ? once : back;
    for (OtlpSignal signal : OtlpSignal.values()) {
      for (Path file : files(jsonFolder.resolve(signal.getDirectoryName()))) {
        assertThat(OtlpJsonRules.checkFile(file, signal)).as(file.toString()).isEmpty();
      }
    }
  }

  @Test
  void keepsFieldsTheSdkHasNoPlaceFor() throws IOException {
    // A hand-made request with content SDK data would lose: a key-value list attribute, a zero id,
    // a dropped attributes count on the resource, flags and an unset status message.
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().setDroppedAttributesCount(7))
                    .addScopeSpans(
                        ScopeSpans.newBuilder()
                            .addSpans(
                                Span.newBuilder()
                                    .setTraceId(ByteString.copyFrom(new byte[16]))
                                    .setSpanId(
                                        ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                                    .setName("odd")
                                    .setFlags(0x301)
                                    .setStartTimeUnixNano(-5L)
                                    .addAttributes(
                                        KeyValue.newBuilder()
                                            .setKey("map")
                                            .setValue(
                                                AnyValue.newBuilder()
                                                    .setKvlistValue(
                                                        KeyValueList.newBuilder()
                                                            .addValues(
                                                                KeyValue.newBuilder()
                                                                    .setKey("k")
                                                                    .setValue(
                                                                        AnyValue.newBuilder()
                                                                            .setBytesValue(
                                                                                ByteString
                                                                                    .copyFromUtf8(
                                                                                        "b"))))))))))
            .build();
    Path in = dir.resolve("in");
    Files.createDirectories(in.resolve("traces"));
    byte[] body = request.toByteArray();
    ByteBuffer framed = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body);
    Files.write(in.resolve("traces").resolve("traces-1.binpb"), framed.array());

    CliFixture.Result result =
        run("convert", "--to", "jsonl", in.toString(), dir.resolve("out").toString());

    assertThat(result.status).as(result.toString()).isZero();
    assertThat(requests(dir.resolve("out")).get(OtlpSignal.TRACES)).containsExactly(request);
  }

  @Test
  void maxFileSizeSplitsBetweenRecords() throws IOException {
    Path in = dir.resolve("in");
    CliFixture.write(in, OtlpFileFormat.JSON_LINES, false);
    long records = requests(in).get(OtlpSignal.TRACES).size();

    CliFixture.Result result =
        run(
            "convert",
            "--to",
            "binpb",
            "--max-file-size",
            "1b",
            in.toString(),
            dir.resolve("out").toString());

    assertThat(result.status).isZero();
    assertThat(files(dir.resolve("out").resolve("traces"))).hasSize((int) records);
    assertThat(requests(dir.resolve("out"))).isEqualTo(requests(in));
  }

  @Test
  void refusesToWriteOverOrInsideItsInput() throws IOException {
    Path in = dir.resolve("in");
    CliFixture.write(in, OtlpFileFormat.JSON_LINES, false);
    Path link = dir.resolve("link");
    Files.createSymbolicLink(link, in);

    CliFixture.Result inside =
        run("convert", "--to", "binpb", in.toString(), in.resolve("x").toString());
    CliFixture.Result same = run("convert", "--to", "binpb", in.toString(), link.toString());
    CliFixture.Result around =
        run("convert", "--to", "binpb", in.resolve("traces").toString(), dir.toString());

    for (CliFixture.Result result : List.of(inside, same, around)) {
      assertThat(result.status).isEqualTo(2);
      assertThat(result.err).contains("overlaps the input");
    }
    assertThat(Files.exists(in.resolve("x"))).isFalse();
    assertThat(files(in.resolve("traces"))).hasSize(1);
  }

  @Test
  void badUsageExitsWithTwo() {
    assertThat(run("convert", "--to", "xml", "a", "b").status).isEqualTo(2);
    assertThat(run("convert", "a", "b").status).isEqualTo(2);
    assertThat(run("convert", "--to", "jsonl", "only-one").status).isEqualTo(2);
    assertThat(run("convert", "--to", "jsonl", "--max-file-size", "lots", "a", "b").status)
        .isEqualTo(2);
    CliFixture.Result zero = run("convert", "--to", "jsonl", "--max-file-size", "0", "a", "b");
    assertThat(zero.status).isEqualTo(2);
    assertThat(zero.err).contains("--max-file-size").contains("'0' must be positive");
    assertThat(
            run(
                    "convert",
                    "--to",
                    "jsonl",
                    dir.resolve("missing").toString(),
                    dir.resolve("o").toString())
                .status)
        .isEqualTo(2);
  }

  @Test
  void damagedInputIsReportedAndTheRestConverted() throws IOException {
    Path in = dir.resolve("in");
    CliFixture.write(in, OtlpFileFormat.JSON_LINES, false);
    Path traces = CatCommandTest.onlyFile(in.resolve("traces"));
    Files.write(traces, "{\"resourceSpans\":[".getBytes(), java.nio.file.StandardOpenOption.APPEND);

    CliFixture.Result result =
        run("convert", "--to", "binpb", in.toString(), dir.resolve("out").toString());

    assertThat(result.status).isEqualTo(1);
    assertThat(result.err).contains(traces.toString()).contains("TRUNCATED_TAIL");
    assertThat(OtlpFileReader.readSpans(dir.resolve("out"))).hasSize(CliFixture.SPANS);
  }

  static Map<OtlpSignal, List<Message>> requests(Path folder) {
    Map<OtlpSignal, List<Message>> requests = new EnumMap<>(OtlpSignal.class);
    try (OtlpFileReader reader = OtlpFileReader.builder().setStrict(true).open(folder)) {
      for (OtlpRecord record : reader) {
        requests
            .computeIfAbsent(record.getSignal(), s -> new ArrayList<>())
            .add(record.getRequest());
      }
    }
    return requests;
  }

  static List<Path> files(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.sorted().collect(Collectors.toList());
    }
  }
}
