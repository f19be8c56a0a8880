package io.github.otlpfile.support;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.otlpfile.OtlpFileFormat;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Reads the records of OTLP files back, independently of the library's own code. */
public final class OtlpRecords {
  private OtlpRecords() {}

  /** The files of a signal folder, sorted by name (which is creation order). */
  public static List<Path> files(Path signalDirectory) throws IOException {
    try (Stream<Path> files = Files.list(signalDirectory)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** The binary records of a {@code .binpb} file: 4-byte big-endian length, then the message. */
  public static List<byte[]> binaryRecords(Path file) throws IOException {
    List<byte[]> records = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file);
        DataInputStream data = new DataInputStream(in)) {
      while (true) {
        int length;
        try {
          length = data.readInt();
        } catch (EOFException end) {
          return records;
        }
        byte[] record = new byte[length];
        data.readFully(record);
        records.add(record);
      }
    }
  }

  /** The lines of a {@code .jsonl} file; the file must end with a newline. */
  public static List<String> jsonLines(Path file) throws IOException {
    String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new AssertionError(file + " does not end with a newline");
    }
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }

  /** Number of records in every file of a signal folder. */
  public static int recordCount(Path signalDirectory, OtlpFileFormat format) throws IOException {
    int records = 0;
    for (Path file : files(signalDirectory)) {
      records +=
          format == OtlpFileFormat.PROTOBUF ? binaryRecords(file).size() : jsonLines(file).size();
    }
    return records;
  }

  /**
   * Walks a JSON request down a path of array fields, for example {@code resourceSpans, scopeSpans,
   * spans}, handing every object at the end to {@code action}.
   */
  public static void forEachJson(String line, Consumer<JsonObject> action, String... path) {
    walk(JsonParser.parseString(line), path, 0, action);
  }

  private static void walk(
      JsonElement element, String[] path, int depth, Consumer<JsonObject> action) {
    if (depth == path.length) {
      action.accept(element.getAsJsonObject());
      return;
    }
    JsonArray array = element.getAsJsonObject().getAsJsonArray(path[depth]);
    if (array != null) {
      for (JsonElement child : array) {
        walk(child, path, depth + 1, action);
      }
    }
  }
}
