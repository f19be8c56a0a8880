package io.github.otlpfile.read;

import static io.github.otlpfile.read.ReaderFiles.concat;
import static io.github.otlpfile.read.ReaderFiles.framed;
import static io.github.otlpfile.read.ReaderFiles.gzip;
import static io.github.otlpfile.read.ReaderFiles.logs;
import static io.github.otlpfile.read.ReaderFiles.metrics;
import static io.github.otlpfile.read.ReaderFiles.traces;

import com.google.protobuf.Message;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Makes the committed hostile-input files under {@code src/test/resources}: the fuzz tests' seeds
 * and the damaged corpus with its {@code EXPECTED.tsv}. Run it again after changing it:
 *
 * <pre>
 * mvn -B -q test-compile -Djacoco.skip=true
 * mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" \
 *   io.github.otlpfile.read.HostileInputFiles src/test/resources
 * </pre>
 */
public final class HostileInputFiles {
  /** Decompressed size of the gzip bombs: far over any record limit, about 100 KiB on disk. */
  static final int BOMB_BYTES = 100 * 1024 * 1024;

  private final Path resources;
  private final List<String> expected = new ArrayList<>();

  private HostileInputFiles(Path resources) {
    this.resources = resources;
  }

  public static void main(String[] args) throws IOException {
    HostileInputFiles files = new HostileInputFiles(Paths.get(args[0]));
    files.readerSeeds();
    files.receiverSeeds();
    files.damagedCorpus();
  }

  private static byte[] line(String resource, int index) throws IOException {
    return (lines(resource).get(index) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> lines(String resource) throws IOException {
    try (java.io.InputStream in =
        HostileInputFiles.class.getResourceAsStream("/otlp-json/" + resource)) {
      return Arrays.asList(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
    }
  }

  private static byte[] resource(String resource) throws IOException {
    try (java.io.InputStream in =
        HostileInputFiles.class.getResourceAsStream("/otlp-json/" + resource)) {
      return in.readAllBytes();
    }
  }

  /** The binary form of the first record of a JSON resource. */
  private static Message binary(String resource, int index) throws IOException {
    byte[] json = lines(resource).get(index).getBytes(StandardCharsets.UTF_8);
    try {
      return OtlpJsonDecoder.decode(json, 0, json.length, null);
    } catch (MalformedRecordException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] withMode(int mode, byte[] content) {
    return concat(new byte[] {(byte) mode}, content);
  }

  private void write(String path, byte[] content) throws IOException {
    Path file = resources.resolve(path);
    Files.createDirectories(file.getParent());
    Files.write(file, content);
  }

  private void readerSeeds() throws IOException {
    String dir = "io/github/otlpfile/read/OtlpFileReaderFuzzTestInputs/readFile/";
    // Modes: see OtlpFileReaderFuzzTest.NAMES (bits 0-2), 8 = gzipped by the test, 16 = .gz name.
    write(dir + "traces-jsonl", withMode(0, resource("traces.jsonl")));
    write(dir + "metrics-binpb", withMode(1, framed(binary("metrics.jsonl", 0))));
    write(dir + "logs-folder-jsonl", withMode(2, resource("logs.jsonl")));
    write(
        dir + "unnamed-binpb-three-signals",
        withMode(
            3,
            concat(
                framed(binary("traces.jsonl", 0)),
                framed(binary("metrics.jsonl", 0)),
                framed(binary("logs.jsonl", 0)))));
    write(dir + "unnamed-jsonl-metrics", withMode(4, resource("metrics-collector.jsonl")));
    write(dir + "unnamed-pb-logs", withMode(5, framed(binary("logs.jsonl", 0))));
    write(dir + "traces-binpb-snake", withMode(6, framed(binary("snake-case.jsonl", 0))));
    write(dir + "logs-binpb", withMode(7, framed(binary("logs-collector.jsonl", 0))));
    write(dir + "gzip-traces-jsonl", withMode(8, resource("unknown-fields.jsonl")));
    write(dir + "gzip-metrics-binpb", withMode(9, framed(binary("metrics.jsonl", 1))));
    write(dir + "raw-gzip-unnamed-binpb", withMode(16 | 3, gzip(framed(traces("g", 2)))));
    write(dir + "raw-gzip-traces-jsonl", withMode(16, gzip(resource("traces-collector.jsonl"))));
    write(dir + "empty-lines", withMode(0, resource("empty.jsonl")));
    byte[] good = framed(traces("a", 1));
    write(dir + "truncated-binpb", withMode(6, concat(good, Arrays.copyOf(good, good.length - 3))));
    write(dir + "huge-prefix", withMode(1, concat(framed(metrics("m")), intBytes(-1), good)));
    write(dir + "wrong-signal-jsonl", withMode(0, concat(line("logs.jsonl", 0))));
    write(dir + "nested-json", withMode(4, nestedJson(40)));
    write(dir + "gzip-bomb-jsonl", withMode(16, gzip(new byte[1024 * 1024])));
    write(
        dir + "gzip-bomb-binpb",
        withMode(16 | 1, gzip(concat(intBytes(1 << 20), new byte[1 << 20]))));
  }

  private void receiverSeeds() throws IOException {
    String dir = "io/github/otlpfile/receive/OtlpHttpBodyFuzzTestInputs/decodeBody/";
    // Modes: see OtlpHttpBodyFuzzTest: bits 0-1 signal, 4 = JSON, 8 = gzipped by the test,
    // 16 = gzip announced with the body as it is, 32 = the receiver writes binary files.
    write(dir + "traces-protobuf", withMode(0, binary("traces.jsonl", 0).toByteArray()));
    write(dir + "metrics-protobuf", withMode(1, binary("metrics.jsonl", 0).toByteArray()));
    write(dir + "logs-protobuf", withMode(2, binary("logs.jsonl", 0).toByteArray()));
    write(dir + "traces-json", withMode(4, line("traces.jsonl", 0)));
    write(dir + "metrics-json", withMode(5, line("metrics.jsonl", 1)));
    write(dir + "logs-json-gzip", withMode(4 | 8 | 2, line("logs.jsonl", 0)));
    write(
        dir + "traces-protobuf-binary-files",
        withMode(32, binary("traces-collector.jsonl", 0).toByteArray()));
    write(dir + "metrics-json-binary-files", withMode(32 | 4 | 1, line("metrics.jsonl", 0)));
    write(dir + "raw-gzip-protobuf", withMode(16, gzip(traces("r", 3).toByteArray())));
    write(dir + "empty-body", withMode(4, new byte[0]));
    write(dir + "empty-json-object", withMode(4 | 2, "{}".getBytes(StandardCharsets.UTF_8)));
    write(dir + "logs-protobuf-in-metrics", withMode(1, logs("x").toByteArray()));
    write(dir + "deeply-nested-json", withMode(4, nestedJson(300)));
    write(dir + "gzip-bomb", withMode(16, gzip(new byte[1024 * 1024])));
  }

  private void damagedCorpus() throws IOException {
    byte[] a = framed(traces("a", 2));
    byte[] b = framed(traces("b", 1));
    byte[] c = framed(traces("c", 3));
    byte[] lineA = line("traces.jsonl", 0);
    byte[] lineB = line("traces-collector.jsonl", 0);

    damaged("traces/truncated.binpb", 2, concat(a, b, Arrays.copyOf(c, c.length / 2)), "T");
    damaged("traces/truncated-prefix.binpb", 2, concat(a, b, new byte[] {0, 0}), "T");
    damaged(
        "traces/truncated.jsonl",
        2,
        concat(lineA, lineB, Arrays.copyOf(lineA, lineA.length / 2)),
        "TRUNCATED_TAIL");

    byte[] flipped = b.clone();
    flipped[4] ^= 0x04; // one bit of the first tag: wire type 2 becomes 6, which does not exist
    damaged("traces/bit-flipped.binpb", 2, concat(a, flipped, c), "INVALID_RECORD");
    byte[] flippedLine = lineB.clone();
    flippedLine[0] ^= 0x02; // one bit: '{' becomes 'y'
    damaged("traces/bit-flipped.jsonl", 2, concat(lineA, flippedLine, lineA), "INVALID_RECORD");

    damaged(
        "traces/traces-wrong-signal.jsonl",
        2,
        concat(lineA, line("logs.jsonl", 0), lineB),
        "WRONG_SIGNAL");
    damaged(
        "metrics/wrong-signal.binpb",
        1,
        concat(framed(metrics("m")), framed(binary("logs.jsonl", 0))),
        "WRONG_SIGNAL");
    damaged(
        "unnamed/unknown-signal.binpb",
        2,
        concat(a, framed(new byte[] {0x0A, 0x00}), framed(logs("l"))),
        "UNKNOWN_SIGNAL");

    damaged("traces/huge-prefix.binpb", 1, concat(a, intBytes(-1), b, c), "RECORD_TOO_LARGE");
    damaged(
        "traces/huge-prefix-max-int.binpb",
        1,
        concat(a, intBytes(Integer.MAX_VALUE), b),
        "RECORD_TOO_LARGE");

    damaged(
        "traces/deeply-nested.jsonl", 2, concat(lineA, nestedJson(2000), lineB), "INVALID_RECORD");
    damaged("traces/nested-within-limit.jsonl", 2, concat(lineA, nestedJson(20)), "");

    byte[] badUtf8 =
        new String(lineB, StandardCharsets.UTF_8)
            .replace("\"name\":\"", "\"name\":\"\u0001")
            .getBytes(StandardCharsets.UTF_8);
    int at = indexOf(badUtf8, (byte) 0x01);
    badUtf8[at] = (byte) 0xC3; // a lead byte
    badUtf8 = concat(Arrays.copyOf(badUtf8, at + 1), new byte[] {0x28}, tail(badUtf8, at + 1));
    damaged("traces/invalid-utf8.jsonl", 2, concat(lineA, badUtf8, lineA), "INVALID_RECORD");

    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    damaged("traces/utf8-bom.jsonl", 2, concat(bom, lineA, bom, lineB), "");
    damaged(
        "traces/utf16-bom.jsonl",
        1,
        concat(lineA, new byte[] {(byte) 0xFE, (byte) 0xFF}, lineB),
        "INVALID_RECORD");

    byte[] gz = gzip(concat(lineA, lineB, lineA));
    damaged("traces/truncated.jsonl.gz", 2, Arrays.copyOf(gz, gz.length - 12), "TRUNCATED_TAIL");
    byte[] corrupt = gz.clone();
    for (int i = 20; i < 40; i++) {
      corrupt[i] = (byte) 0xFF;
    }
    damaged("traces/corrupt.jsonl.gz", 0, corrupt, "CORRUPT_COMPRESSION");
    damaged("traces/not-gzip.binpb.gz", 2, concat(a, b), "");

    damaged(
        "traces/bomb.jsonl.gz", 0, gzip(concat(new byte[BOMB_BYTES], lineA)), "RECORD_TOO_LARGE");
    damaged(
        "traces/bomb-line-then-good.jsonl.gz",
        1,
        gzip(concat(repeat((byte) ' ', BOMB_BYTES), "x\n".getBytes(StandardCharsets.UTF_8), lineB)),
        "RECORD_TOO_LARGE");
    damaged(
        "traces/bomb.binpb.gz",
        1,
        gzip(concat(a, intBytes(BOMB_BYTES), new byte[BOMB_BYTES])),
        "RECORD_TOO_LARGE");

    damaged("traces/empty.binpb", 0, new byte[0], "");
    damaged("traces/zero-length-records.binpb", 1, concat(intBytes(0), a, intBytes(0)), "");

    write("damaged/EXPECTED.tsv", String.join("", expected).getBytes(StandardCharsets.UTF_8));
  }

  /** Writes a damaged file and its line of EXPECTED.tsv: path, records read, problem kinds. */
  private void damaged(String path, int records, byte[] content, String kinds) throws IOException {
    write("damaged/" + path, content);
    String expandedKinds = "T".equals(kinds) ? "TRUNCATED_TAIL" : kinds;
    expected.add(path + "\t" + records + "\t" + expandedKinds + "\n");
  }

  /** A traces record whose first span's attribute value nests {@code depth} arrays. */
  static byte[] nestedJson(int depth) {
    StringBuilder json = new StringBuilder();
    json.append("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{")
        .append("\"traceId\":\"5b8efff798038103d269b633813fc60c\",")
        .append("\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"deep\",")
        .append("\"attributes\":[{\"key\":\"k\",\"value\":");
    for (int i = 0; i < depth; i++) {
      json.append("{\"arrayValue\":{\"values\":[");
    }
    json.append("{\"intValue\":\"1\"}");
    for (int i = 0; i < depth; i++) {
      json.append("]}}");
    }
    json.append("}]}]}]}]}\n");
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] intBytes(int value) {
    return ByteBuffer.allocate(4).putInt(value).array();
  }

  private static byte[] repeat(byte b, int count) {
    byte[] bytes = new byte[count];
    Arrays.fill(bytes, b);
    return bytes;
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    throw new IllegalArgumentException("not found");
  }

  private static byte[] tail(byte[] bytes, int from) {
    return Arrays.copyOfRange(bytes, from, bytes.length);
  }
}
