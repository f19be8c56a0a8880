package io.github.otlpfile.read;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.github.otlpfile.support.ChildJvm;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder far larger than the heap reads whole: a child JVM with {@code -Xmx64m} reads 1 GiB of
 * binary files (set {@code otlpfile.test.largeFolderMiB} to change the size), making SDK data of
 * every record, and counts what it read.
 */
class LargeFolderReadTest {
  private static final long FOLDER_BYTES =
      Long.getLong("otlpfile.test.largeFolderMiB", 1024) * 1024 * 1024;
  private static final long FILE_BYTES = 64L * 1024 * 1024;

  @TempDir Path dir;

  @Test
  void folderOfOneGibReadsWithA64MibHeap() throws Exception {
    byte[] record = ReaderFiles.framed(bigRequest());
    long records = 0;
    long written = 0;
    int fileIndex = 0;
    Files.createDirectories(dir.resolve("traces"));
    while (written < FOLDER_BYTES) {
      Path file = dir.resolve(String.format("traces/traces-big-%04d.binpb", fileIndex++));
      try (OutputStream out = Files.newOutputStream(file)) {
        for (long inFile = 0; inFile < FILE_BYTES && written < FOLDER_BYTES; ) {
          out.write(record);
          inFile += record.length;
          written += record.length;
          records++;
        }
      }
    }

    List<String> output = runChild(dir);

    assertThat(output)
        .containsExactly(
            "records " + records, "spans " + records * 512, "problems 0", "files " + fileIndex);
  }

  /** 512 spans with 10 attributes each: about 80 KB as binary. */
  private static ExportTraceServiceRequest bigRequest() {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < 512; i++) {
      Span.Builder span =
          Span.newBuilder()
              .setTraceId(ByteString.copyFrom(ReaderFiles.id(16, i)))
              .setSpanId(ByteString.copyFrom(ReaderFiles.id(8, i)))
              .setName("GET /api/items/{id}")
              .setStartTimeUnixNano(1_700_000_000_000_000_000L + i)
              .setEndTimeUnixNano(1_700_000_000_000_500_000L + i);
      for (int a = 0; a < 10; a++) {
        span.addAttributes(
            KeyValue.newBuilder()
                .setKey("attribute.key." + a)
                .setValue(AnyValue.newBuilder().setStringValue("value-" + a + "-" + i)));
      }
      scope.addSpans(span);
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
        .build();
  }

  private static List<String> runChild(Path folder) throws IOException, InterruptedException {
    try (ChildJvm child =
        ChildJvm.start(
            List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"),
            ReadFolderMain.class,
            folder.toString())) {
      List<String> lines = child.remainingLines(Duration.ofMinutes(5));
      assertThat(child.process().waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(child.process().exitValue()).as("exit status; output %s", lines).isZero();
      return lines;
    }
  }

  /** Reads a folder, making SDK data of every record, and prints what it counted. */
  public static final class ReadFolderMain {
    public static void main(String[] args) {
      long records = 0;
      long spans = 0;
      try (OtlpFileReader reader = OtlpFileReader.open(Paths.get(args[0]))) {
        for (OtlpRecord record : reader) {
          records++;
          spans += record.getSpans().size();
        }
        System.out.println("records " + records);
        System.out.println("spans " + spans);
        System.out.println("problems " + reader.getProblemCount());
        System.out.println("files " + reader.getFilesRead());
      }
    }
  }
}
