package io.github.otlpfile.internal.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Reads the files an exporter wrote back into OTLP request messages, for assertions. */
final class OtlpFiles {
  private OtlpFiles() {}

  /** The files in {@code directory/signal}, sorted by name (so by creation time). */
  static List<Path> list(Path directory, String signal) throws IOException {
    Path signalDirectory = directory.resolve(signal);
    if (!Files.isDirectory(signalDirectory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(signalDirectory)) {
      return files.sorted().toList();
    }
  }

  static List<ExportTraceServiceRequest> traces(Path directory) throws IOException {
    return readAll(directory, "traces", ExportTraceServiceRequest::newBuilder);
  }

  static List<ExportMetricsServiceRequest> metrics(Path directory) throws IOException {
    return readAll(directory, "metrics", ExportMetricsServiceRequest::newBuilder);
  }

  static List<ExportLogsServiceRequest> logs(Path directory) throws IOException {
    return readAll(directory, "logs", ExportLogsServiceRequest::newBuilder);
  }

  @SuppressWarnings("unchecked")
  private static <M extends Message> List<M> readAll(
      Path directory, String signal, Supplier<Message.Builder> builder) throws IOException {
    List<M> messages = new ArrayList<>();
    for (Path file : list(directory, signal)) {
      String name = file.getFileName().toString();
      if (name.endsWith(".jsonl")) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          Message.Builder b = builder.get();
          JsonFormat.parser().merge(line, b);
          messages.add((M) b.build());
        }
      } else {
        assertThat(name).endsWith(".binpb");
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
          for (byte[] record = next(in); record != null; record = next(in)) {
            messages.add((M) builder.get().mergeFrom(record).build());
          }
        }
      }
    }
    return messages;
  }

  private static byte[] next(DataInputStream in) throws IOException {
    int length;
    try {
      length = in.readInt();
    } catch (EOFException e) {
      return null;
    }
    byte[] record = new byte[length];
    in.readFully(record);
    return record;
  }
}
