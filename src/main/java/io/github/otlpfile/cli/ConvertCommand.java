package io.github.otlpfile.cli;

import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import io.github.otlpfile.read.OtlpSignal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code otlp-file convert}: rewrites OTLP files in another format, losslessly. */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Converts OTLP files between JSON lines and binary protobuf, request by request: the"
          + " converted files hold the same requests.",
      "OUT is laid out like the exporters' folders: OUT/traces/traces-....jsonl and so on.",
      "Exit status: 0 ok, 1 damaged records skipped or a write failed, 2 bad usage."
    })
final class ConvertCommand implements Callable<Integer> {
  static final long DEFAULT_MAX_FILE_BYTES = 64L * 1024 * 1024;
  private static final long PROGRESS_NANOS = 500_000_000L;

  @Spec CommandSpec spec;
  @Mixin CommonOptions common;

  @Option(
      names = {"-t", "--to"},
      paramLabel = "FORMAT",
      required = true,
      converter = FormatOption.Converter.class,
      description = "The format to write: jsonl or binpb.")
  OtlpFileFormat to;

  @Option(names = "--gzip", description = "Write gzip-compressed files (.jsonl.gz, .binpb.gz).")
  boolean gzip;

  @Option(
      names = "--max-file-size",
      paramLabel = "SIZE",
      converter = CliValues.Size.class,
      description =
          "Start a new file before one would grow over SIZE, before compression (default: 64MiB;"
              + " units B, KiB/K, MiB/M, GiB/G, TiB/T, KB, MB, GB, TB).",
      defaultValue = "64MiB")
  long maxFileBytes = DEFAULT_MAX_FILE_BYTES;

  @Parameters(
      paramLabel = "IN... OUT",
      arity = "2..*",
      description = "Files or folders to read, then the folder to write (created if missing).")
  List<Path> arguments = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    Console console = Console.of(spec, common);
    List<Path> inputs = new ArrayList<>(arguments.subList(0, arguments.size() - 1));
    Path out = arguments.get(arguments.size() - 1);
    checkPaths(inputs, out);

    Problems problems = new Problems();
    Map<OtlpSignal, RequestFileWriter> writers = new EnumMap<>(OtlpSignal.class);
    Progress progress = new Progress(console);
    long records = 0;
    long items = 0;
    try (OtlpFileReader reader =
        OtlpFileReader.builder()
            .setMaxProblems(0)
            .setProblemListener(
                p -> {
                  problems.count(p);
                  progress.clear();
                  console.error(null, Problems.line(p));
                })
            .open(inputs.toArray(new Path[0]))) {
      for (OtlpRecord record : reader) {
        RequestFileWriter writer = writers.get(record.getSignal());
        if (writer == null) {
          writer = new RequestFileWriter(out, record.getSignal(), to, gzip, maxFileBytes);
          writers.put(record.getSignal(), writer);
        }
        writer.write(record.getRequest());
        records++;
        items += record.getItemCount();
        progress.update(records, items, reader.getFilesRead());
      }
    } finally {
      for (RequestFileWriter writer : writers.values()) {
        writer.close();
      }
      progress.clear();
    }
    int files = 0;
    long unknown = 0;
    for (RequestFileWriter writer : writers.values()) {
      files += writer.getFilesCreated();
      unknown += writer.getUnknownFieldMessages();
    }
    console
        .err()
        .println(
            String.format(
                Locale.ROOT,
                "%s: %d records (%d items) into %d %s files in %s",
                spec.qualifiedName(),
                records,
                items,
                files,
                FormatOption.nameOf(to) + (gzip ? ".gz" : ""),
                Console.text(out.toString())));
    console.err().flush();
    if (unknown > 0) {
      console.warn(
          unknown
              + " records had fields unknown to this version's OTLP protos; OTLP/JSON cannot carry"
              + " them and they were left out (convert to binpb keeps them)");
    }
    return problems.total() == 0 && unknown == 0 ? CliErrors.OK : CliErrors.INVALID;
  }

  // The output must not be an input, nor inside one, nor hold one: the reader would read what
  // is being written, or the writer would write over what is being read.
  private void checkPaths(List<Path> inputs, Path out) throws IOException {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "OUT " + Console.text(out.toString()) + " is not a folder");
    }
    Path outReal = canonical(out);
    for (Path in : inputs) {
      if (!Files.exists(in)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "IN " + Console.text(in.toString()) + " does not exist");
      }
      Path inReal = in.toRealPath();
      if (outReal.startsWith(inReal) || inReal.startsWith(outReal)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "OUT "
                + Console.text(out.toString())
                + " overlaps the input "
                + Console.text(in.toString())
                + "; write to a folder outside the input");
      }
    }
  }

  // The real path of `path`, or of its nearest existing ancestor with the rest appended.
  private static Path canonical(Path path) throws IOException {
    Path absolute = path.toAbsolutePath().normalize();
    Path existing = absolute;
    Path rest = null;
    while (existing != null && !Files.exists(existing)) {
      Path name = existing.getFileName();
      rest = rest == null ? name : name.resolve(rest);
      existing = existing.getParent();
    }
    if (existing == null) {
      return absolute;
    }
    Path real = existing.toRealPath();
    return rest == null ? real : real.resolve(rest);
  }

  /** A progress line on standard error, on a terminal only, redrawn at most twice a second. */
  private static final class Progress {
    private final Console console;
    private long lastNanos = System.nanoTime();
    private boolean shown;

    Progress(Console console) {
      this.console = console;
    }

    void update(long records, long items, long files) {
      if (!console.isInteractive()) {
        return;
      }
      long now = System.nanoTime();
      if (now - lastNanos < PROGRESS_NANOS) {
        return;
      }
      lastNanos = now;
      shown = true;
      console
          .err()
          .print(
              String.format(
                  Locale.ROOT,
                  "\rconverted %d records, %d items, %d files read ",
                  records,
                  items,
                  files));
      console.err().flush();
    }

    void clear() {
      if (shown) {
        console.err().print("\r\u001b[K");
        console.err().flush();
        shown = false;
      }
    }
  }
}
