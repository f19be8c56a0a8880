package io.github.otlpfile.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.read.OtlpFileProblem;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import io.github.otlpfile.read.OtlpSignal;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code otlp-file validate}: checks every record against the OTLP rules. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Checks every record of OTLP files: framing, decoding, one signal per file, ids of the"
          + " right length, enum values, and the OTLP/JSON rules for .jsonl files.",
      "Prints each problem on its own line (file, line or byte offset, reason).",
      "Exit status: 0 all valid, 1 problems found, 2 bad usage."
    })
final class ValidateCommand implements Callable<Integer> {
  static final String OTLP_JSON_RULE = "OTLP_JSON_RULE";
  static final String OTLP_RULE = "OTLP_RULE";
  static final String MIXED_SIGNALS = "MIXED_SIGNALS";

  @Spec CommandSpec spec;
  @Mixin CommonOptions common;
  @Mixin JsonOption jsonOption;
  @Mixin DirectoryOption directoryOption;

  private Console console;
  private JsonGenerator json;
  private long problems;
  private final List<Path> filesWithProblems = new ArrayList<>();

  // The file being read: its first signal and the lines of it the reader decoded.
  private Path file;
  private OtlpFileFormat fileFormat;
  private OtlpSignal fileSignal;
  private boolean mixedReported;
  private final BitSet decodedLines = new BitSet();
  private final List<OtlpSignal> lineSignals = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    console = Console.of(spec, common);
    if (jsonOption.json) {
      json = new JsonFactory().createGenerator(console.out());
      json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      json.setCharacterEscapes(OtlpJsonWriter.TerminalSafeEscapes.INSTANCE);
    }
    long records;
    long files;
    try (OtlpFileReader reader =
        OtlpFileReader.builder()
            .setMaxProblems(0)
            .setProblemListener(
                p ->
                    report(
                        p.getFile(),
                        p.getFormat(),
                        p.getPosition(),
                        p.getKind().name(),
                        p.getReason()))
            .open(directoryOption.inputs().toArray(new Path[0]))) {
      for (OtlpRecord record : reader) {
        check(record);
      }
      finishFile();
      records = reader.getRecordsRead();
      files = reader.getFilesRead();
    }
    summary(files, records);
    return problems == 0 ? CliErrors.OK : CliErrors.INVALID;
  }

  private void check(OtlpRecord record) {
    if (!record.getFile().equals(file)) {
      finishFile();
      file = record.getFile();
      fileFormat = record.getFormat();
      fileSignal = record.getSignal();
      mixedReported = false;
    }
    if (record.getSignal() != fileSignal && !mixedReported) {
      mixedReported = true;
      report(
          file,
          record.getFormat(),
          record.getPosition(),
          MIXED_SIGNALS,
          "a "
              + record.getSignal().getDirectoryName()
              + " record in a file that began with "
              + fileSignal.getDirectoryName()
              + "; an OTLP file holds one signal");
    }
    RecordChecks.check(
        record.getRequest(),
        v -> report(file, record.getFormat(), record.getPosition(), OTLP_RULE, v));
    if (record.getFormat() == OtlpFileFormat.JSON_LINES
        && record.getPosition() < Integer.MAX_VALUE) {
      int line = (int) record.getPosition();
      decodedLines.set(line);
      while (lineSignals.size() <= line && lineSignals.size() < 1 << 20) {
        lineSignals.add(null);
      }
      if (line < lineSignals.size()) {
        lineSignals.set(line, record.getSignal());
      }
    }
  }

  // The OTLP/JSON rules on the text of the lines the reader decoded, of .jsonl files.
  private void finishFile() {
    if (file == null || fileFormat != OtlpFileFormat.JSON_LINES || decodedLines.isEmpty()) {
      decodedLines.clear();
      lineSignals.clear();
      return;
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".jsonl") || name.endsWith(".jsonl.gz")) {
      try {
        checkLines(file);
      } catch (IOException e) {
        report(file, null, 0, OtlpFileProblem.Kind.UNREADABLE_FILE.name(), e.getMessage());
      }
    }
    decodedLines.clear();
    lineSignals.clear();
  }

  private void checkLines(Path path) throws IOException {
    int last = decodedLines.length() - 1;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 64 * 1024)) {
      raw.mark(2);
      int b1 = raw.read();
      int b2 = raw.read();
      raw.reset();
      InputStream in = b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(raw, 64 * 1024) : raw;
      int line = 1;
      int start = 0;
      int end = 0;
      boolean eof = false;
      while (line <= last) {
        int newline = -1;
        for (int i = start; i < end; i++) {
          if (buffer[i] == '\n') {
            newline = i;
            break;
          }
        }
        if (newline < 0 && !eof) {
          if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
          }
          if (end == buffer.length) {
            if (buffer.length >= OtlpFileReader.DEFAULT_MAX_RECORD_BYTES) {
              return;
            }
            buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
          }
          int n = in.read(buffer, end, buffer.length - end);
          if (n < 0) {
            eof = true;
          } else {
            end += n;
          }
          continue;
        }
        int lineEnd = newline < 0 ? end : newline;
        if (decodedLines.get(line)) {
          checkLine(buffer, start, lineEnd, line, newline >= 0);
        }
        if (newline < 0) {
          return;
        }
        start = newline + 1;
        line++;
      }
    }
  }

  private void checkLine(byte[] buffer, int start, int end, int line, boolean hasLineEnd) {
    String violation = null;
    if (line == 1
        && end - start >= 3
        && (buffer[start] & 0xff) == 0xef
        && (buffer[start + 1] & 0xff) == 0xbb) {
      violation = "the file starts with a byte order mark";
    } else if (end > start && buffer[end - 1] == '\r') {
      violation = "the line ends in \\r\\n; OTLP/JSON lines end in \\n only";
    } else if (!hasLineEnd) {
      violation = "the last line has no line end (\\n)";
    } else {
      OtlpSignal signal = line < lineSignals.size() ? lineSignals.get(line) : fileSignal;
      violation =
          JsonLinesRules.check(buffer, start, end - start, signal == null ? fileSignal : signal);
    }
    if (violation != null) {
      report(file, OtlpFileFormat.JSON_LINES, line, OTLP_JSON_RULE, violation);
    }
  }

  private void report(
      Path where, OtlpFileFormat format, long position, String kind, String reason) {
    problems++;
    if (filesWithProblems.isEmpty()
        || !filesWithProblems.get(filesWithProblems.size() - 1).equals(where)) {
      if (filesWithProblems.size() < 100_000) {
        filesWithProblems.add(where);
      }
    }
    String at =
        format == OtlpFileFormat.JSON_LINES
            ? "line " + position
            : format == OtlpFileFormat.PROTOBUF ? "byte " + position : "";
    if (json != null) {
      try {
        json.writeStartObject();
        json.writeStringField("file", where.toString());
        if (!at.isEmpty()) {
          json.writeNumberField(format == OtlpFileFormat.JSON_LINES ? "line" : "offset", position);
        }
        json.writeStringField("kind", kind);
        json.writeStringField("reason", reason);
        json.writeEndObject();
        json.flush();
        console.out().println();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    PrintWriter out = console.out();
    out.println(
        TerminalText.escape(where.toString())
            + (at.isEmpty() ? "" : " " + at)
            + ": "
            + console.style(Console.RED, kind)
            + ": "
            + TerminalText.escape(reason, 400));
  }

  private void summary(long files, long records) throws IOException {
    long badFiles = filesWithProblems.stream().distinct().count();
    if (json != null) {
      json.writeStartObject();
      json.writeBooleanField("valid", problems == 0);
      json.writeNumberField("files", files);
      json.writeNumberField("records", records);
      json.writeNumberField("problems", problems);
      json.writeNumberField("filesWithProblems", badFiles);
      json.writeEndObject();
      json.flush();
      console.out().println();
    } else if (problems == 0) {
      console
          .out()
          .println(
              console.style(Console.GREEN, "valid")
                  + ": "
                  + files
                  + " files, "
                  + records
                  + " records");
    } else {
      console
          .out()
          .println(
              console.style(Console.RED, "invalid")
                  + ": "
                  + problems
                  + " problems in "
                  + badFiles
                  + " of "
                  + files
                  + " files ("
                  + records
                  + " records read)");
    }
    console.out().flush();
  }
}
