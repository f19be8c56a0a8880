package io.github.otlpfile.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import io.github.otlpfile.read.OtlpSignal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code otlp-file cat}: prints what the files hold, for people or as OTLP/JSON for jq. */
@Command(
    name = "cat",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Prints the records of OTLP files: spans as trace trees, metric points, log records.",
      "With --json, prints OTLP/JSON requests, one per line.",
      "Exit status: 0 ok, 1 damaged records found (the rest is printed), 2 bad usage."
    })
final class CatCommand implements Callable<Integer> {
  static final int DEFAULT_WINDOW_SPANS = 10_000;

  @Spec CommandSpec spec;
  @Mixin CommonOptions common;
  @Mixin JsonOption jsonOption;
  @Mixin DirectoryOption directoryOption;

  @Option(
      names = {"-s", "--signal"},
      paramLabel = "SIGNAL",
      split = ",",
      description = "Only these signals: traces, metrics, logs (repeatable or comma-separated).")
  List<String> signalNames = new ArrayList<>();

  @Option(names = "--service", paramLabel = "NAME", description = "Only this service.name.")
  String service;

  @Option(
      names = "--trace-id",
      paramLabel = "HEX",
      description = "Only spans and log records of this trace (32 hex digits).")
  String traceId;

  @Option(
      names = "--name",
      paramLabel = "GLOB",
      description = "Only spans, metrics or log events of this name; * and ? are wildcards.")
  String name;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description =
          "Only items at or after TIME: an ISO instant (2026-12-01T10:00:00Z) or a time"
              + " ago (30s, 10m, 2h, 1d).")
  String since;

  @Option(names = "--until", paramLabel = "TIME", description = "Only items before TIME.")
  String until;

  @Option(
      names = {"-a", "--attribute"},
      paramLabel = "KEY=VALUE",
      converter = ArgumentConverters.KeyValue.class,
      description = "Only items with this attribute (on the item or its resource); repeatable.")
  List<Map.Entry<String, String>> attributes = new ArrayList<>();

  @Option(
      names = {"-F", "--follow"},
      description =
          "Keep printing what is appended, following rotation and new files (Ctrl-C stops).")
  boolean follow;

  @Option(
      names = "--window",
      paramLabel = "SPANS",
      description = "Spans held to group into trace trees (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + DEFAULT_WINDOW_SPANS)
  int windowSpans = DEFAULT_WINDOW_SPANS;

  @Option(
      names = "--poll-interval",
      paramLabel = "MILLIS",
      description = "With --follow, how often to look for new data (default: ${DEFAULT-VALUE} ms).",
      defaultValue = "250")
  long pollMillis = 250;

  private Console console;
  private Problems problems;

  @Override
  public Integer call() throws IOException {
    console = Console.of(spec, common);
    problems = new Problems();
    RecordFilter filter = filter(Clock.systemUTC());
    if (windowSpans < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--window must be >= 1");
    }
    if (pollMillis < 10) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--poll-interval must be >= 10");
    }
    List<Path> inputs = directoryOption.inputs();
    Output output = jsonOption.json ? new JsonOutput() : new TextOutput();
    try {
      if (follow) {
        follow(inputs, filter, output);
      } else {
        read(inputs, filter, output);
      }
    } finally {
      output.finish();
    }
    return problems.total() == 0 ? CliErrors.OK : CliErrors.INVALID;
  }

  private void read(List<Path> inputs, RecordFilter filter, Output output) {
    try (OtlpFileReader reader =
        OtlpFileReader.builder()
            .setSignals(filter.signals().toArray(new OtlpSignal[0]))
            .setMaxProblems(0)
            .setProblemListener(
                p -> {
                  problems.count(p);
                  console.error(null, Problems.line(p));
                })
            .open(inputs.toArray(new Path[0]))) {
      for (OtlpRecord record : reader) {
        Message selected = RequestSelection.select(record.getRequest(), filter);
        if (selected != null) {
          output.write(selected, System.nanoTime());
          // The reader of the output went away (`cat | head`): stop reading.
          if (console.out().checkError()) {
            return;
          }
        }
      }
    }
  }

  private void follow(List<Path> inputs, RecordFilter filter, Output output) {
    FolderFollower follower =
        new FolderFollower(
            inputs,
            filter.signals(),
            (int) OtlpFileReader.DEFAULT_MAX_RECORD_BYTES,
            new FolderFollower.Sink() {
              @Override
              public void record(OtlpSignal signal, Path file, Message request) {
                if (!filter.accepts(signal)) {
                  return;
                }
                Message selected = RequestSelection.select(request, filter);
                if (selected != null) {
                  output.write(selected, System.nanoTime());
                }
              }

              @Override
              public void problem(Path file, String reason) {
                problems.countOther();
                console.error(file, TerminalText.escape(reason, 400));
              }
            });
    while (!Thread.currentThread().isInterrupted()) {
      follower.poll();
      output.idle(System.nanoTime());
      if (console.out().checkError()) {
        return;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(pollMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  RecordFilter filter(Clock clock) {
    EnumSet<OtlpSignal> signals = EnumSet.noneOf(OtlpSignal.class);
    for (String s : signalNames) {
      OtlpSignal signal = signalNamed(s);
      if (signal == null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "'" + s + "' is not a signal: use traces, metrics or logs");
      }
      signals.add(signal);
    }
    ByteString trace = null;
    if (traceId != null) {
      if (!traceId.matches("[0-9a-fA-F]{32}")) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--trace-id must be 32 hex digits, but was '" + traceId + "'");
      }
      byte[] bytes = new byte[16];
      for (int i = 0; i < 16; i++) {
        bytes[i] = (byte) Integer.parseInt(traceId.substring(2 * i, 2 * i + 2), 16);
      }
      trace = ByteString.copyFrom(bytes);
    }
    Pattern namePattern = name == null ? null : RecordFilter.glob(name);
    long sinceNanos = Long.MIN_VALUE;
    long untilNanos = Long.MAX_VALUE;
    try {
      if (since != null) {
        sinceNanos = ArgumentConverters.parseTime(since, clock);
      }
      if (until != null) {
        untilNanos = ArgumentConverters.parseTime(until, clock);
      }
    } catch (CommandLine.TypeConversionException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    return new RecordFilter(
        signals, service, trace, namePattern, sinceNanos, untilNanos, attributes);
  }

  static OtlpSignal signalNamed(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (OtlpSignal signal : OtlpSignal.values()) {
      if (signal.getDirectoryName().equals(n) || signal.name().equalsIgnoreCase(n)) {
        return signal;
      }
    }
    if (n.equals("spans") || n.equals("trace")) {
      return OtlpSignal.TRACES;
    }
    if (n.equals("metric")) {
      return OtlpSignal.METRICS;
    }
    if (n.equals("log")) {
      return OtlpSignal.LOGS;
    }
    return null;
  }

  private interface Output {
    void write(Message request, long nowNanos);

    void idle(long nowNanos);

    void finish();
  }

  private final class TextOutput implements Output {
    private final HumanPrinter printer =
        new HumanPrinter(console, windowSpans, Duration.ofSeconds(1).toNanos());

    @Override
    public void write(Message request, long nowNanos) {
      printer.print(request, nowNanos);
    }

    @Override
    public void idle(long nowNanos) {
      printer.flushIdle(nowNanos);
    }

    @Override
    public void finish() {
      printer.flushAll();
      console.out().flush();
    }
  }

  private final class JsonOutput implements Output {
    private final OtlpJsonWriter writer;

    JsonOutput() {
      try {
        writer = OtlpJsonWriter.to(console.out(), true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void write(Message request, long nowNanos) {
      try {
        writer.writeLine(request);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void idle(long nowNanos) {
      try {
        writer.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void finish() {
      try {
        writer.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      console.out().flush();
    }
  }
}
