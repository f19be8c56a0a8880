package io.github.otlpfile.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's JSON results ({@code -rf json}) of this suite into tables of results and ratios, with
 * the targets and PASS or MISS beside each. Prints Markdown; with {@code --write FILE} also
 * writes it there. Exits with status 1 if a benchmark the tables need has no result.
 *
 * <pre>
 * Report [--write FILE] [--title TEXT] [--commit SHA] [--load-before "1.0 0.5 0.2"]
 *        [--command TEXT] [--quick] RESULT.json...
 * </pre>
 */
public final class Report {
  private static final String EXPORT = "ExportBenchmark.exportAndWait";
  private static final String CALL = "ExportBenchmark.exportCall";
  // Secondary results of benchmarks.profile.CpuProfiler.
  private static final String CPU_PER_OP = "·cpu.ns/op";
  private static final String CPU_CORES = "·cpu.cores";
  private static final String READ = "ReadBenchmark.readFile";
  private static final String BREAKER = "CircuitBreakerBenchmark.";
  private static final String COUNT = "CircuitBreakerLockCountBenchmark.";
  private static final String BUFFER = "BatchBufferBenchmark.mixed";
  private static final String COUNTERS = "CountersBenchmark.";
  private static final String RECEIVE = "ReceiveBenchmark.export";
  private static final String CLI = "CliBenchmark.runFile";
  private static final String FIXTURE = "FixtureBenchmark.oneTest";
  private static final String ROTATION = "RotationBenchmark.exportAndWait";
  private static final String END_TO_END = "EndToEndBenchmark.span";

  private static final String[] SIGNALS = {"traces", "metrics", "logs"};
  private static final String[] EXPORTERS = {
    "ours_jsonl",
    "ours_protobuf",
    "ours_protobuf_gzip",
    "stdout",
    "stdout_reusable",
    "contrib",
    "contrib_64m",
    "limit_json",
    "limit_json_lowalloc",
    "limit_binary",
    "limit_binary_lowalloc",
    "limit_json_file",
    "limit_binary_file",
    "limit_json_handoff",
    "limit_binary_handoff"
  };
  private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

  /** The read candidates in table order, and what each is compared with. */
  private static final Map<String, String> READERS = new LinkedHashMap<>();

  private static final Map<String, String> READER_BASELINES = new LinkedHashMap<>();

  static {
    DESCRIPTIONS.put("ours_jsonl", "ours, `JSON_LINES`");
    DESCRIPTIONS.put("ours_protobuf", "ours, `PROTOBUF`");
    DESCRIPTIONS.put("ours_protobuf_gzip", "ours, `PROTOBUF` + `GZIP`");
    DESCRIPTIONS.put("stdout", "`OtlpStdout*Exporter` → file");
    DESCRIPTIONS.put("stdout_reusable", "`OtlpStdout*Exporter` `REUSABLE_DATA` → file");
    DESCRIPTIONS.put("contrib", "contrib `*ToDiskExporter`, default config");
    DESCRIPTIONS.put("contrib_64m", "contrib `*ToDiskExporter`, 64 MiB files");
    DESCRIPTIONS.put("limit_json", "limit: marshaler → null, JSON");
    DESCRIPTIONS.put("limit_json_lowalloc", "limit: low-alloc marshaler → null, JSON");
    DESCRIPTIONS.put("limit_binary", "limit: marshaler → null, binary");
    DESCRIPTIONS.put("limit_binary_lowalloc", "limit: low-alloc marshaler → null, binary");
    DESCRIPTIONS.put("limit_json_file", "limit: low-alloc marshaler + one write, JSON");
    DESCRIPTIONS.put("limit_binary_file", "limit: low-alloc marshaler + one write, binary");
    DESCRIPTIONS.put(
        "limit_json_handoff", "limit: low-alloc marshaler + one write on another thread, JSON");
    DESCRIPTIONS.put(
        "limit_binary_handoff", "limit: low-alloc marshaler + one write on another thread, binary");

    READERS.put("ours_binary", "ours, `.binpb` → messages");
    READERS.put("ours_binary_sdk", "ours, `.binpb` → messages + SDK spans");
    READERS.put("limit_binary", "limit: protobuf-java `parseFrom` alone");
    READERS.put("ours_jsonl", "ours, `.jsonl` → messages");
    READERS.put("jsonformat_hex", "`JsonFormat` after a hex → base64 regex");
    READER_BASELINES.put("ours_binary", "limit_binary");
    READER_BASELINES.put("ours_binary_sdk", "limit_binary");
    READER_BASELINES.put("ours_jsonl", "jsonformat_hex");
    DESCRIPTIONS.put("ours_http_binpb", "ours, OTLP/HTTP protobuf → `PROTOBUF` files");
    DESCRIPTIONS.put("ours_grpc_binpb", "ours, OTLP/gRPC → `PROTOBUF` files");
    DESCRIPTIONS.put("ours_http_jsonl", "ours, OTLP/HTTP protobuf → `JSON_LINES` files");
    DESCRIPTIONS.put("limit_http", "limit: JDK `HttpServer`, body read and dropped");
    DESCRIPTIONS.put("limit_grpc", "limit: grpc-java, request read and dropped");
  }

  private final List<JsonNode> results;
  private final List<String> missing = new ArrayList<>();
  private final StringBuilder out = new StringBuilder();
  private final List<String[]> targets = new ArrayList<>();

  /** A report of these JMH results (the elements of {@code -rf json} arrays). */
  Report(List<JsonNode> results) {
    this.results = new ArrayList<>(results);
  }

  public static void main(String[] args) throws IOException {
    Path write = null;
    String title = "Benchmarks";
    String commit = "unknown";
    String loadBefore = null;
    String command = null;
    boolean quick = false;
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--write":
          write = Paths.get(args[++i]);
          break;
        case "--title":
          title = args[++i];
          break;
        case "--commit":
          commit = args[++i];
          break;
        case "--load-before":
          loadBefore = args[++i];
          break;
        case "--command":
          command = args[++i];
          break;
        case "--quick":
          quick = true;
          break;
        default:
          files.add(Paths.get(args[i]));
      }
    }
    List<JsonNode> results = new ArrayList<>();
    ObjectMapper mapper = new ObjectMapper();
    for (Path file : files) {
      JsonNode array = mapper.readTree(file.toFile());
      for (JsonNode result : array) {
        results.add(result);
      }
    }
    Report report = new Report(results);
    String text = report.render(title, commit, loadBefore, command, quick);
    System.out.println(text);
    if (write != null) {
      Files.createDirectories(write.toAbsolutePath().getParent());
      Files.write(write, text.getBytes(StandardCharsets.UTF_8));
      System.out.println("Wrote " + write);
    }
    if (!report.missing.isEmpty()) {
      System.err.println("Missing results: " + report.missing);
      System.exit(1);
    }
  }

  String render(String title, String commit, String loadBefore, String command, boolean quick) {
    out.append("# ").append(title).append("\n\n");
    if (quick) {
      out.append(
          "**Smoke run (`--quick`): one short iteration each, numbers are not meaningful.**\n\n");
    }
    out.append(
        "Generated by `benchmarks/run` from JMH's JSON results; do not edit by hand. Compare"
            + " numbers only within one run: on this kind of machine runs drift 25–40% between"
            + " sessions, and a shared machine adds noise. `±` is JMH's 99.9% confidence"
            + " half-interval.\n\n");
    machine(commit, loadBefore, command);
    int cut = out.length(); // the targets go between the settings and the first section
    exportSection();
    cpuSection();
    callSection();
    readSection();
    cliSection();
    receiveSection();
    fixtureSection();
    rotationSection();
    endToEndSection();
    breakerSection();
    bufferSection();
    countersSection();
    StringBuilder body = out;
    StringBuilder head = new StringBuilder();
    head.append(body, 0, cut);
    head.append("\n## Targets\n\n");
    head.append("| target | measured | verdict |\n|---|---|---|\n");
    for (String[] t : targets) {
      head.append("| ").append(t[0]).append(" | ").append(t[1]).append(" | ").append(t[2]);
      head.append(" |\n");
    }
    head.append(
        "\nA ratio is the measured quantity of the first named over the second. MISS says by"
            + " how much; see the sections below for each number and how it was measured.\n");
    head.append(body, cut, body.length());
    return head.toString();
  }

  // ---------------------------------------------------------------- machine

  private void machine(String commit, String loadBefore, String command) {
    out.append("## Machine and settings\n\n");
    out.append("| | |\n|---|---|\n");
    row(
        "date",
        ZonedDateTime.now(ZoneOffset.UTC)
            .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")));
    row("commit", "`" + commit + "`");
    row("CPU", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
    row("memory", memTotal());
    row("OS", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    JsonNode any = results.isEmpty() ? null : results.get(0);
    if (any != null) {
      row(
          "JVM",
          any.path("vmName").asText()
              + " "
              + any.path("vmVersion").asText()
              + " (JDK "
              + any.path("jdkVersion").asText()
              + "), JMH "
              + any.path("jmhVersion").asText());
      row("JVM options", "`" + String.join(" ", texts(any.path("jvmArgs"))) + "`");
    }
    if (loadBefore != null) {
      row("load average before / after", loadBefore + " / " + loadAverage());
    }
    if (command != null) {
      row("command", "`" + command + "`");
    }
    row("OpenTelemetry", "1.63.0 for the library and every peer (one classpath)");
    out.append("\nJMH settings per benchmark class:\n\n");
    Map<String, String> settings = new LinkedHashMap<>();
    for (JsonNode r : results) {
      String group = shortName(r).replaceAll("\\..*", "");
      String s =
          r.path("forks").asInt()
              + " fork(s), "
              + r.path("warmupIterations").asInt()
              + " × "
              + r.path("warmupTime").asText()
              + " warm-up, "
              + r.path("measurementIterations").asInt()
              + " × "
              + r.path("measurementTime").asText()
              + " measured";
      settings.merge(group, s, (a, b) -> a.equals(b) ? a : a + "; " + b);
    }
    for (Map.Entry<String, String> e : settings.entrySet()) {
      out.append("- `").append(e.getKey()).append("`: ").append(e.getValue()).append('\n');
    }
    out.append('\n');
  }

  private void row(String key, String value) {
    out.append("| ").append(key).append(" | ").append(value).append(" |\n");
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: fall through.
    }
    return System.getProperty("os.arch");
  }

  private static String memTotal() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/meminfo"))) {
        if (line.startsWith("MemTotal")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: fall through.
    }
    return "unknown";
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readAllLines(Paths.get("/proc/loadavg")).get(0).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  // ---------------------------------------------------------------- export

  private void exportSection() {
    require(EXPORT, "signal", "traces", "exporter", "ours_jsonl");
    require(EXPORT, "signal", "traces", "exporter", "ours_protobuf");
    if (all(EXPORT).isEmpty()) {
      return;
    }
    out.append("## Exporting a batch of 512 items\n\n");
    out.append(
        "One operation exports one batch (512 spans with 11 attributes and 2 events each; 512"
            + " metric points of 8 instruments; 512 log records with 10 attributes) and waits for"
            + " its result, as the SDK's batch processors do. Every candidate gets the same batch"
            + " and writes to the same disk. Ours uses the library defaults except"
            + " `Durability.NONE` (no candidate forces data to disk). `stdout` is"
            + " `OtlpStdout*Exporter` (opentelemetry-exporter-logging-otlp 1.63.0) over a"
            + " `BufferedOutputStream(FileOutputStream)`; `contrib` is opentelemetry-disk-buffering"
            + " 1.53.0-alpha, default storage (1 MiB files) or 64 MiB files; `limit_*` is the"
            + " OTLP marshaler writing into a stream that discards the bytes, with the same"
            + " framing as our files — the cost of encoding alone.\n\n"
            + "MB/s and bytes/item are the bytes the candidate puts in its files (for the limits,"
            + " the encoded bytes), before any compression. Allocation is `gc.alloc.rate.norm`"
            + " from `-prof gc`, which counts all threads, our writer thread included. `vs limit`"
            + " divides items/s by the faster of the two marshal-only limits of the same"
            + " format.\n\n");
    for (String signal : SIGNALS) {
      List<String> present = new ArrayList<>();
      for (String exporter : EXPORTERS) {
        if (find(EXPORT, "signal", signal, "exporter", exporter) != null) {
          present.add(exporter);
        }
      }
      if (present.isEmpty()) {
        continue;
      }
      out.append("### ").append(signal).append("\n\n");
      out.append(
          "| exporter | batches/s | items/s | MB/s | bytes/item | alloc B/item | vs limit |\n");
      out.append("|---|---:|---:|---:|---:|---:|---:|\n");
      for (String exporter : present) {
        JsonNode r = find(EXPORT, "signal", signal, "exporter", exporter);
        double itemsPerSecond = secondary(r, "items");
        double bytesPerSecond = secondary(r, "bytes");
        double alloc = secondary(r, "gc.alloc.rate.norm");
        double limit = limitItemsPerSecond(signal, exporter);
        out.append("| ")
            .append(DESCRIPTIONS.get(exporter))
            .append(" | ")
            .append(scoreWithError(r))
            .append(" | ")
            .append(big(itemsPerSecond))
            .append(" | ")
            .append(fmt(bytesPerSecond / 1e6))
            .append(" | ")
            .append(fmt(bytesPerSecond / itemsPerSecond))
            .append(" | ")
            .append(Double.isNaN(alloc) ? "n/a" : fmt(alloc / 512))
            .append(" | ")
            .append(Double.isNaN(limit) ? "" : fmt(itemsPerSecond / limit) + "×")
            .append(" |\n");
      }
      out.append('\n');
      exportTargets(signal);
    }
  }

  /**
   * Items/s of the faster marshal-only limit in the format {@code exporter} writes; NaN if none.
   */
  private double limitItemsPerSecond(String signal, String exporter) {
    String format;
    if (exporter.equals("ours_jsonl") || exporter.startsWith("stdout")) {
      format = "json";
    } else if (exporter.startsWith("ours_protobuf") || exporter.startsWith("contrib")) {
      format = "binary";
    } else {
      return Double.NaN;
    }
    double best = Double.NaN;
    for (String limit : new String[] {"limit_" + format, "limit_" + format + "_lowalloc"}) {
      JsonNode r = find(EXPORT, "signal", signal, "exporter", limit);
      if (r != null) {
        double v = secondary(r, "items");
        best = Double.isNaN(best) ? v : Math.max(best, v);
      }
    }
    return best;
  }

  private void exportTargets(String signal) {
    for (String[] pair : new String[][] {{"ours_jsonl", "JSON"}, {"ours_protobuf", "binary"}}) {
      JsonNode ours = find(EXPORT, "signal", signal, "exporter", pair[0]);
      double limit = limitItemsPerSecond(signal, pair[0]);
      if (ours == null || Double.isNaN(limit)) {
        continue;
      }
      target(
          signal + ": `" + pair[0] + "` ≥ 0.85× the " + pair[1] + " marshal-only limit (items/s)",
          secondary(ours, "items") / limit,
          0.85,
          true);
    }
    if (!signal.equals("traces")) {
      return;
    }
    JsonNode jsonl = find(EXPORT, "signal", signal, "exporter", "ours_jsonl");
    for (String peer : new String[] {"stdout", "stdout_reusable"}) {
      JsonNode stdout = find(EXPORT, "signal", signal, "exporter", peer);
      if (jsonl == null || stdout == null) {
        continue;
      }
      target(
          "traces: `ours_jsonl` ≥ 1.3× `" + peer + "` items/s",
          secondary(jsonl, "items") / secondary(stdout, "items"),
          1.3,
          true);
      target(
          "traces: `ours_jsonl` ≥ 1.1× `" + peer + "` items/s (with CPU per item as low as above)",
          secondary(jsonl, "items") / secondary(stdout, "items"),
          1.1,
          true);
      target(
          "traces: `ours_jsonl` allocates ≤ `" + peer + "` per item",
          secondary(jsonl, "gc.alloc.rate.norm") / secondary(stdout, "gc.alloc.rate.norm"),
          1.0,
          false);
    }
    JsonNode protobuf = find(EXPORT, "signal", signal, "exporter", "ours_protobuf");
    for (String peer : new String[] {"contrib", "contrib_64m"}) {
      JsonNode contrib = find(EXPORT, "signal", signal, "exporter", peer);
      if (protobuf == null || contrib == null) {
        continue;
      }
      target(
          "traces: `ours_protobuf` ≥ 2× `" + peer + "` items/s",
          secondary(protobuf, "items") / secondary(contrib, "items"),
          2.0,
          true);
      target(
          "traces: `ours_protobuf` ≥ 1.5× `"
              + peer
              + "` items/s (with CPU per item as low as above)",
          secondary(protobuf, "items") / secondary(contrib, "items"),
          1.5,
          true);
    }
  }

  /**
   * Process CPU time per exported batch and item, from {@code -prof
   * io.github.otlpfile.benchmarks.profile.CpuProfiler} on the export runs.
   */
  private void cpuSection() {
    boolean any = false;
    for (JsonNode r : all(EXPORT)) {
      any |= !Double.isNaN(secondary(r, CPU_PER_OP));
    }
    if (!any) {
      return;
    }
    out.append("## CPU per exported item\n\n");
    out.append(
        "Process CPU time (every thread: the exporting thread, our writer thread, GC and JIT"
            + " compiler threads) per waited-for export of a 512-item batch, from the"
            + " `CpuProfiler` of the suite (`com.sun.management.OperatingSystemMXBean"
            + ".getProcessCpuTime()` before and after each measured iteration, divided by its"
            + " operations). `cores busy` is that CPU time over the iteration's wall time. `vs"
            + " marshaler` divides CPU per item by that of the low-allocation marshaler alone in"
            + " the same format: what an exporter costs the application beyond encoding. `vs"
            + " marshaler + write` divides it by that of the same marshaler writing each batch"
            + " with one `write` into a file on the caller's thread: the least CPU any file"
            + " exporter can spend, so what is left above 1× is the cost of handing the write to"
            + " another thread. `vs … + hand-off` divides it by that of the same again with the"
            + " write done by one other thread, woken for each batch and parked in between: the"
            + " least an exporter that keeps file I/O off the caller's thread can spend.\n\n");
    for (String signal : SIGNALS) {
      List<JsonNode> rows = new ArrayList<>();
      for (String exporter : EXPORTERS) {
        JsonNode r = find(EXPORT, "signal", signal, "exporter", exporter);
        if (r != null && !Double.isNaN(secondary(r, CPU_PER_OP))) {
          rows.add(r);
        }
      }
      if (rows.isEmpty()) {
        continue;
      }
      out.append("### ").append(signal).append("\n\n");
      out.append(
          "| exporter | batches/s | CPU µs/batch | CPU ns/item | cores busy | vs marshaler"
              + " | vs marshaler + write | vs … + hand-off |\n");
      out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
      for (JsonNode r : rows) {
        String exporter = param(r, "exporter");
        double cpu = secondary(r, CPU_PER_OP);
        double base = cpuOfLowAllocLimit(signal, exporter);
        double floor = cpuOfFileLimit(signal, exporter);
        double handOff = cpuOfHandOffLimit(signal, exporter);
        out.append("| ")
            .append(DESCRIPTIONS.get(exporter))
            .append(" | ")
            .append(scoreWithError(r))
            .append(" | ")
            .append(withError(r, CPU_PER_OP, 1e3))
            .append(" | ")
            .append(fmt(cpu / 512))
            .append(" | ")
            .append(fmt(secondary(r, CPU_CORES)))
            .append(" | ")
            .append(Double.isNaN(base) ? "" : fmt(cpu / base) + "×")
            .append(" | ")
            .append(Double.isNaN(floor) ? "" : fmt(cpu / floor) + "×")
            .append(" | ")
            .append(Double.isNaN(handOff) ? "" : fmt(cpu / handOff) + "×")
            .append(" |\n");
      }
      out.append('\n');
      for (String[] pair : new String[][] {{"ours_jsonl", "JSON"}, {"ours_protobuf", "binary"}}) {
        JsonNode ours = find(EXPORT, "signal", signal, "exporter", pair[0]);
        double base = cpuOfLowAllocLimit(signal, pair[0]);
        if (ours == null || Double.isNaN(base)) {
          continue;
        }
        target(
            signal
                + ": `"
                + pair[0]
                + "` CPU per item ≤ 1.15× the "
                + pair[1]
                + " low-allocation marshaler alone",
            secondary(ours, CPU_PER_OP) / base,
            1.15,
            false);
      }
      JsonNode jsonl = find(EXPORT, "signal", signal, "exporter", "ours_jsonl");
      double jsonFloor = cpuOfFileLimit(signal, "ours_jsonl");
      if (jsonl != null && !Double.isNaN(jsonFloor)) {
        target(
            signal
                + ": `ours_jsonl` CPU per item ≤ 1× the JSON marshaler plus one write of its"
                + " bytes",
            secondary(jsonl, CPU_PER_OP) / jsonFloor,
            1.0,
            false);
      }
    }
  }

  /** CPU per batch of the low-allocation marshaler plus one write, in {@code exporter}'s format. */
  private double cpuOfFileLimit(String signal, String exporter) {
    return cpuOfLimit(signal, exporter, "file");
  }

  /** CPU per batch of the marshaler plus one write on another thread, in our formats. */
  private double cpuOfHandOffLimit(String signal, String exporter) {
    return exporter.equals("ours_jsonl") || exporter.equals("ours_protobuf")
        ? cpuOfLimit(signal, exporter, "handoff")
        : Double.NaN;
  }

  /** CPU per batch of the low-allocation marshaler in the format {@code exporter} writes. */
  private double cpuOfLowAllocLimit(String signal, String exporter) {
    return cpuOfLimit(signal, exporter, "lowalloc");
  }

  /** CPU per batch of {@code limit_<format>_<kind>} in the format {@code exporter} writes. */
  private double cpuOfLimit(String signal, String exporter, String kind) {
    String format;
    if (exporter.equals("ours_jsonl") || exporter.startsWith("stdout")) {
      format = "json";
    } else if (exporter.startsWith("ours_protobuf") || exporter.startsWith("contrib")) {
      format = "binary";
    } else {
      return Double.NaN;
    }
    return secondary(
        find(EXPORT, "signal", signal, "exporter", "limit_" + format + "_" + kind), CPU_PER_OP);
  }

  private void callSection() {
    List<JsonNode> calls = all(CALL);
    if (calls.isEmpty()) {
      return;
    }
    out.append("## Time `export()` keeps the caller\n\n");
    out.append(
        "Average time of the `export()` call alone; its result is awaited after the call,"
            + " outside the measured time. Ours encodes on the caller's thread and leaves the"
            + " write to its writer thread; the peers write before they return. `full export`"
            + " is the time per batch of the waited-for export above.\n\n");
    out.append("| signal | exporter | `export()` µs | full export µs | share |\n");
    out.append("|---|---|---:|---:|---:|\n");
    for (JsonNode r : calls) {
      String signal = param(r, "signal");
      String exporter = param(r, "exporter");
      JsonNode full = find(EXPORT, "signal", signal, "exporter", exporter);
      double fullMicros =
          full == null ? Double.NaN : 1e6 / full.path("primaryMetric").path("score").asDouble();
      double callMicros = r.path("primaryMetric").path("score").asDouble();
      out.append("| ")
          .append(signal)
          .append(" | ")
          .append(DESCRIPTIONS.getOrDefault(exporter, exporter))
          .append(" | ")
          .append(scoreWithError(r))
          .append(" | ")
          .append(Double.isNaN(fullMicros) ? "" : fmt(fullMicros))
          .append(" | ")
          .append(Double.isNaN(fullMicros) ? "" : fmt(100 * callMicros / fullMicros) + "%")
          .append(" |\n");
    }
    out.append('\n');
    for (String signal : SIGNALS) {
      for (String limit : new String[] {"limit_json_lowalloc", "limit_binary_lowalloc"}) {
        JsonNode r = find(EXPORT, "signal", signal, "exporter", limit);
        if (r != null && find(CALL, "signal", signal) != null) {
          out.append("Encoding alone (")
              .append(signal)
              .append(", ")
              .append(DESCRIPTIONS.get(limit).replace("limit: ", ""))
              .append("): ")
              .append(fmt(1e6 / score(r)))
              .append(" µs per batch.\n");
        }
      }
    }
    out.append('\n');
  }

  // ---------------------------------------------------------------- read

  private void readSection() {
    if (all(READ).isEmpty()) {
      return;
    }
    JsonNode first = all(READ).get(0);
    long recordsPerFile = Math.round(secondary(first, "records") / score(first));
    out.append("## Reading files back\n\n");
    out.append(
        "One operation reads one whole traces file of "
            + recordsPerFile
            + " records, each the 512-span trace batch of the export benchmark"
            + " (11 attributes and 2 events per span), written by our `OtlpFileSpanExporter` as"
            + " `PROTOBUF` and as `JSON_LINES` at the start of the trial, and hands every record"
            + " to a blackhole. Ours is `OtlpFileReader.open(file)`, taking `record.getRequest()`"
            + " (the `opentelemetry-proto` message) or, for `ours_binary_sdk`, `record.getSpans()`"
            + " (the message and SDK data made from it). The reader takes paths only, so ours"
            + " reads the file from disk each time, warm in the page cache; to keep that fair the"
            + " baselines read the same file with `Files.readAllBytes` inside the operation, and"
            + " that array, one file's size, counts in their allocation (see `file B/span`)."
            + " `limit_binary` is protobuf-java 4.36.2 alone: a hand-written loop over the 4-byte"
            + " length prefixes calling `ExportTraceServiceRequest.parser().parseFrom(bytes, off,"
            + " len)`. `jsonformat_hex` is what a user would write without the reader: split the"
            + " lines, rewrite the hex `traceId`, `spanId` and `parentSpanId` values as base64"
            + " with one regular expression and `Matcher.replaceAll` (OTLP/JSON writes ids as hex,"
            + " protobuf's JSON mapping expects base64), then protobuf-java-util's"
            + " `JsonFormat.parser().ignoringUnknownFields().merge(line, builder)`. Before"
            + " measuring, each candidate's records are checked against protobuf-java's parse of"
            + " the binary file.\n\n"
            + "MB/s counts the bytes of the file read. Allocation is `gc.alloc.rate.norm` from"
            + " `-prof gc` divided by the spans in a file. `vs` divides records/s by those of"
            + " the candidate named.\n\n");
    out.append(
        "| reader | files/s | records/s | spans/s | MB/s | file B/span | alloc B/span | vs |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<String, String> e : READERS.entrySet()) {
      JsonNode r = find(READ, "reader", e.getKey());
      if (r == null) {
        continue;
      }
      double spansPerFile = secondary(r, "spans") / score(r);
      String baseline = READER_BASELINES.get(e.getKey());
      JsonNode b = baseline == null ? null : find(READ, "reader", baseline);
      out.append("| ")
          .append(e.getValue())
          .append(" | ")
          .append(scoreWithError(r))
          .append(" | ")
          .append(withError(r, "records", 1))
          .append(" | ")
          .append(big(secondary(r, "spans")))
          .append(" | ")
          .append(fmt(secondary(r, "bytes") / 1e6))
          .append(" | ")
          .append(fmt(secondary(r, "bytes") / secondary(r, "spans")))
          .append(" | ")
          .append(withError(r, "gc.alloc.rate.norm", spansPerFile))
          .append(" | ")
          .append(
              b == null
                  ? ""
                  : fmt(secondary(r, "records") / secondary(b, "records")) + "× `" + baseline + "`")
          .append(" |\n");
    }
    out.append('\n');
    JsonNode binary = find(READ, "reader", "ours_binary");
    JsonNode limit = find(READ, "reader", "limit_binary");
    JsonNode jsonl = find(READ, "reader", "ours_jsonl");
    JsonNode jsonFormat = find(READ, "reader", "jsonformat_hex");
    JsonNode sdk = find(READ, "reader", "ours_binary_sdk");
    double mapping = sdkMappingShare(score(sdk), score(binary));
    if (!Double.isNaN(mapping)) {
      double spansPerFile = secondary(binary, "spans") / score(binary);
      double mappingMicros = 1e6 / score(sdk) - 1e6 / score(binary);
      out.append("SDK mapping: ")
          .append(fmt(mappingMicros))
          .append(" µs per file (")
          .append(fmt(mappingMicros / spansPerFile))
          .append(" µs per span) on top of ")
          .append(fmt(1e6 / score(binary)))
          .append(" µs to read it as messages (")
          .append(fmt(mapping))
          .append("×).\n\n");
    }
    if (binary != null && limit != null) {
      target(
          "read: `ours_binary` ≥ 0.9× `limit_binary` records/s",
          secondary(binary, "records") / secondary(limit, "records"),
          0.9,
          true);
    }
    if (jsonl != null && jsonFormat != null) {
      target(
          "read: `ours_jsonl` ≥ 2× `jsonformat_hex` records/s",
          secondary(jsonl, "records") / secondary(jsonFormat, "records"),
          2.0,
          true);
    }
    if (!Double.isNaN(mapping)) {
      target(
          "read: SDK mapping ≤ 0.5× the binary read (time per file, `ours_binary_sdk` −"
              + " `ours_binary`, over `ours_binary`)",
          mapping,
          0.5,
          false);
    }
    require(READ, "reader", "ours_binary");
    require(READ, "reader", "ours_jsonl");
  }

  /**
   * The time the SDK mapping adds over the time of the read alone, from operations per second:
   * {@code (1/sdk - 1/messages) / (1/messages)}; NaN if either is missing.
   */
  static double sdkMappingShare(double sdkOpsPerSecond, double messagesOpsPerSecond) {
    return (1 / sdkOpsPerSecond - 1 / messagesOpsPerSecond) / (1 / messagesOpsPerSecond);
  }

  // ---------------------------------------------------------------- cli

  private void cliSection() {
    if (all(CLI).isEmpty()) {
      return;
    }
    out.append("## The otlp-file command\n\n");
    out.append(
        "One operation runs a command in-process (`OtlpFileCommand.execute`, output dropped) on"
            + " one whole traces file of the read benchmark's kind: 32 records of the 512-span"
            + " batch, written by our exporter as `.binpb` and as `.jsonl`. `read_*` is the"
            + " reader alone (`getRequest()` of each record); `read_export_*` is the reader plus"
            + " our exporter of the other format (each record's SDK spans exported, every export"
            + " waited for), the baseline of `convert`. `vs` divides records/s by those of the"
            + " baseline named.\n\n");
    out.append("| command | files/s | records/s | vs |\n|---|---:|---:|---:|\n");
    String[][] rows = {
      {"read_binpb", null},
      {"stats_binpb", "read_binpb"},
      {"validate_binpb", "read_binpb"},
      {"read_jsonl", null},
      {"stats_jsonl", "read_jsonl"},
      {"validate_jsonl", "read_jsonl"},
      {"read_export_binpb", null},
      {"convert_binpb", "read_export_binpb"},
      {"read_export_jsonl", null},
      {"convert_jsonl", "read_export_jsonl"}
    };
    for (String[] row : rows) {
      JsonNode r = find(CLI, "command", row[0]);
      if (r == null) {
        continue;
      }
      JsonNode b = row[1] == null ? null : find(CLI, "command", row[1]);
      double ratio = b == null ? Double.NaN : secondary(r, "records") / secondary(b, "records");
      out.append("| `")
          .append(row[0])
          .append("` | ")
          .append(scoreWithError(r))
          .append(" | ")
          .append(withError(r, "records", 1))
          .append(" | ")
          .append(b == null ? "" : fmt(ratio) + "× `" + row[1] + "`")
          .append(" |\n");
      if (b != null) {
        target("cli: `" + row[0] + "` ≥ 0.8× `" + row[1] + "` records/s", ratio, 0.8, true);
      }
    }
    out.append('\n');
    require(CLI, "command", "stats_binpb");
    require(CLI, "command", "convert_jsonl");
  }

  // ---------------------------------------------------------------- receive

  private static final String[] RECEIVERS = {
    "ours_http_binpb", "ours_http_jsonl", "limit_http", "ours_grpc_binpb", "limit_grpc"
  };

  private void receiveSection() {
    if (all(RECEIVE).isEmpty()) {
      return;
    }
    out.append("## Receiving OTLP\n\n");
    out.append(
        "OpenTelemetry Java's own exporters (1.63.0: `OtlpHttpSpanExporter` with protobuf,"
            + " `OtlpGrpcSpanExporter` over its default okhttp sender), one shared by 4 JMH"
            + " threads, send the 512-span batch above to a receiver on 127.0.0.1; one operation"
            + " is one `export()`, waited for, so ops/s is requests/s. Ours is `OtlpFileReceiver`"
            + " with the defaults except `Durability.NONE` (16 threads per protocol; a request is"
            + " answered after its record is written). The limits read each request the same way"
            + " and throw it away, with as many threads: the JDK `HttpServer` answering 200 with"
            + " no body, grpc-java (Netty) with the three collector services answering an empty"
            + " response. Sender, receiver and JMH share the machine's cores. `vs limit` divides"
            + " requests/s by the limit of the same protocol. Before measuring, each of ours is"
            + " checked: four batches through a receiver of its own read back from its files as"
            + " the spans sent.\n\n");
    out.append("| receiver | requests/s | spans/s | vs limit |\n");
    out.append("|---|---:|---:|---:|\n");
    for (String name : RECEIVERS) {
      JsonNode r = find(RECEIVE, "receiver", name);
      if (r == null) {
        continue;
      }
      JsonNode limit =
          find(RECEIVE, "receiver", name.contains("grpc") ? "limit_grpc" : "limit_http");
      out.append("| ")
          .append(DESCRIPTIONS.getOrDefault(name, name))
          .append(" | ")
          .append(scoreWithError(r))
          .append(" | ")
          .append(secondaryWithError(r, "items"))
          .append(" | ")
          .append(name.startsWith("limit_") ? "" : ratio(r, limit))
          .append(" |\n");
    }
    out.append('\n');
    for (String[] pair :
        new String[][] {{"ours_http_binpb", "limit_http"}, {"ours_grpc_binpb", "limit_grpc"}}) {
      JsonNode ours = find(RECEIVE, "receiver", pair[0]);
      JsonNode limit = find(RECEIVE, "receiver", pair[1]);
      if (ours == null && limit == null) {
        continue;
      }
      target(
          "receiver: `" + pair[0] + "` ≥ 0.8× `" + pair[1] + "` requests/s",
          score(ours) / score(limit),
          0.8,
          true);
    }
    require(RECEIVE, "receiver", "ours_http_binpb");
    require(RECEIVE, "receiver", "limit_http");
  }

  // ---------------------------------------------------------------- test fixture

  private void fixtureSection() {
    if (all(FIXTURE).isEmpty()) {
      return;
    }
    out.append("## Test fixture: one test's worth of work\n\n");
    out.append(
        "One operation is one test: the fixture's `beforeEach`, 10 spans (a parent and 9"
            + " children), a counter add and a log record through the fixture's SDK, the three"
            + " signals read back (checked: 10, 1, 1), clear, `afterEach`; the extensions are"
            + " driven directly with a minimal `ExtensionContext`, without the JUnit engine."
            + " `ours_*` is `OtlpFileExtension`: a directory, SDK and exporters per test, files"
            + " written and read back with the reader, the directory removed after the test."
            + " `sdk_memory` is `opentelemetry-sdk-testing`'s `OpenTelemetryExtension` (one"
            + " SDK, in-memory exporters, reset per test). Time per test; `vs sdk_memory`"
            + " divides it by the in-memory extension's.\n\n");
    out.append("| fixture | µs per test | vs sdk_memory |\n|---|---:|---:|\n");
    JsonNode memory = find(FIXTURE, "fixture", "sdk_memory");
    for (String name : new String[] {"ours_jsonl", "ours_protobuf", "sdk_memory"}) {
      JsonNode r = find(FIXTURE, "fixture", name);
      if (r == null) {
        continue;
      }
      out.append("| `")
          .append(name)
          .append("` | ")
          .append(scoreWithError(r))
          .append(" | ")
          .append(name.equals("sdk_memory") ? "" : fmt(score(r) / score(memory)) + "×")
          .append(" |\n");
    }
    out.append('\n');
    target(
        "fixture: `ours_jsonl` ≤ 3× `sdk_memory` time per test",
        score(find(FIXTURE, "fixture", "ours_jsonl")) / score(memory),
        3,
        false);
    require(FIXTURE, "fixture", "ours_jsonl");
    require(FIXTURE, "fixture", "sdk_memory");
  }

  // ---------------------------------------------------------------- rotation

  private static final String[][] ROTATION_CANDIDATES = {
    {"ours_on_rotate", "ours, `PROTOBUF`, `ON_ROTATE` (the default)"},
    {"ours_none", "ours, `PROTOBUF`, `NONE`"},
    {"contrib_64m", "contrib `SpanToDiskExporter`"},
    {"limit_binary_file", "limit: low-alloc marshaler + one write"},
  };

  private void rotationSection() {
    if (all(ROTATION).isEmpty()) {
      return;
    }
    out.append("## Export times while files rotate\n\n");
    out.append(
        "One operation exports one batch of 512 spans and waits for its result, into 64 MiB"
            + " files of which the folder keeps 256 MiB: about every 200th batch rotates the"
            + " file, and once the folder is full an old file is deleted as well. JMH samples"
            + " each operation's time; the high percentiles are the exports that paid for a"
            + " rotation. Contrib writes, rotates and deletes on the caller's thread; the limit"
            + " starts a new file every 64 MiB on the caller's thread and deletes none while"
            + " measuring. Times in µs.\n\n");
    out.append("| exporter | mean | p50 | p99 | p99.9 | max | p99.9 vs contrib |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|\n");
    JsonNode contrib = find(ROTATION, "exporter", "contrib_64m");
    for (String[] candidate : ROTATION_CANDIDATES) {
      JsonNode r = find(ROTATION, "exporter", candidate[0]);
      if (r == null) {
        continue;
      }
      out.append("| ")
          .append(candidate[1])
          .append(" | ")
          .append(fmt(score(r)))
          .append(" | ")
          .append(fmt(percentile(r, "50.0")))
          .append(" | ")
          .append(fmt(percentile(r, "99.0")))
          .append(" | ")
          .append(fmt(percentile(r, "99.9")))
          .append(" | ")
          .append(fmt(percentile(r, "100.0")))
          .append(" | ")
          .append(
              candidate[0].equals("contrib_64m")
                  ? ""
                  : fmt(percentile(r, "99.9") / percentile(contrib, "99.9")) + "×")
          .append(" |\n");
    }
    out.append('\n');
    require(ROTATION, "exporter", "ours_on_rotate");
    require(ROTATION, "exporter", "contrib_64m");
  }

  private static double percentile(JsonNode r, String which) {
    return r == null
        ? Double.NaN
        : r.path("primaryMetric").path("scorePercentiles").path(which).asDouble(Double.NaN);
  }

  // ---------------------------------------------------------------- end to end

  /** The end-to-end candidates in table order; {@code none} is the SDK without an exporter. */
  private static final String[] END_TO_END_EXPORTERS = {
    "none", "ours_protobuf", "ours_jsonl", "contrib_64m", "stdout"
  };

  /** A rate counts as sustained when at least this share of it was achieved, nothing lost. */
  static final double SUSTAINED_SHARE = 0.97;

  private void endToEndSection() {
    List<JsonNode> rows = all(END_TO_END);
    if (rows.isEmpty()) {
      return;
    }
    List<Integer> rates = new ArrayList<>();
    for (JsonNode r : rows) {
      int rate = Integer.parseInt(param(r, "rate"));
      if (!rates.contains(rate)) {
        rates.add(rate);
      }
    }
    rates.sort(null);
    List<String> present = new ArrayList<>();
    for (String exporter : END_TO_END_EXPORTERS) {
      if (find(END_TO_END, "exporter", exporter) != null) {
        present.add(exporter);
      }
    }
    out.append("## End to end: 4 application threads through the SDK\n\n");
    out.append(
        "4 application threads (JMH's) create and end spans like the export benchmarks' (11"
            + " attributes, 2 events) into one `SdkTracerProvider` with"
            + " `BatchSpanProcessor.builder(exporter).build()` (its defaults: a queue of 2,048,"
            + " batches of 512) and the exporter, each at a quarter of the offered rate, paced by"
            + " `System.nanoTime()` deadlines (parked, at least 1 ms at a time; a thread more than"
            + " 4 ms behind gives the excess up). After each iteration the provider is flushed and"
            + " the spans ended are compared with the spans the exporter took and exported"
            + " successfully. A rate is **sustained** when at least "
            + Math.round(SUSTAINED_SHARE * 100)
            + "% of it was achieved and no span was lost (dropped by the full queue or in a"
            + " failed export) in any measured iteration. `none` is the same pipeline into an"
            + " exporter that discards the batches: what the SDK and the application threads"
            + " cost alone. CPU is process CPU time (every thread, the flush included) per span"
            + " ended, from the suite's `CpuProfiler`. Same files, same disk and same settings"
            + " (ours `Durability.NONE`, 64 MiB files) as in the export benchmarks.\n\n");
    out.append("Achieved spans/s at each offered rate; `lost` is the share of spans ended that");
    out.append(" did not reach the exporter or were in a failed export.\n\n");
    out.append("| exporter | highest sustained |");
    for (int rate : rates) {
      out.append(' ').append(big(rate)).append("/s |");
    }
    out.append("\n|---|---:|");
    for (int i = 0; i < rates.size(); i++) {
      out.append("---:|");
    }
    out.append('\n');
    Map<String, Integer> highest = new LinkedHashMap<>();
    for (String exporter : present) {
      int best = 0;
      StringBuilder cells = new StringBuilder();
      for (int rate : rates) {
        JsonNode r = find(END_TO_END, "exporter", exporter, "rate", Integer.toString(rate));
        cells.append(' ').append(endToEndCell(r, rate)).append(" |");
        if (sustained(r, rate)) {
          best = rate;
        }
      }
      highest.put(exporter, best);
      out.append("| ").append(endToEndName(exporter)).append(" | ");
      out.append(best == 0 ? "none of these" : big(best) + "/s").append(" |");
      out.append(cells).append('\n');
    }
    out.append('\n');

    // The highest rate every exporter (not the baseline) sustained; else the lowest measured.
    int common = 0;
    for (int rate : rates) {
      boolean all = true;
      for (String exporter : present) {
        if (!exporter.equals("none")) {
          all &= sustained(find(END_TO_END, "exporter", exporter, "rate", "" + rate), rate);
        }
      }
      if (all) {
        common = rate;
      }
    }
    int cpuRate = common > 0 ? common : rates.get(0);
    JsonNode baseline = find(END_TO_END, "exporter", "none", "rate", "" + cpuRate);
    double baseCpu = secondary(baseline, CPU_PER_OP);
    out.append("CPU per span at ").append(big(cpuRate)).append(" spans/s, ");
    out.append(
        common > 0
            ? "the highest rate every exporter sustained"
            : "the lowest rate measured: **no rate was sustained by every exporter**");
    out.append(
        ". `exporter's share` subtracts the CPU per span of `none` at the same rate. `per span"
            + " exported` divides the process CPU by the spans that reached the exporter instead"
            + " of the spans ended: where spans were lost, CPU per span ended flatters the"
            + " exporter that lost more.\n\n");
    out.append("| exporter | spans/s | CPU µs/span | cores busy | exporter's share µs/span |");
    out.append(" vs `ours_protobuf` | CPU µs per span exported |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|\n");
    JsonNode oursAtCommon = find(END_TO_END, "exporter", "ours_protobuf", "rate", "" + cpuRate);
    for (String exporter : present) {
      JsonNode r = find(END_TO_END, "exporter", exporter, "rate", "" + cpuRate);
      if (r == null) {
        continue;
      }
      double cpu = secondary(r, CPU_PER_OP);
      out.append("| ").append(endToEndName(exporter)).append(" | ");
      out.append(big(score(r))).append(" | ");
      out.append(Double.isNaN(cpu) ? "n/a" : withError(r, CPU_PER_OP, 1e3)).append(" | ");
      out.append(fmt(secondary(r, CPU_CORES))).append(" | ");
      out.append(exporter.equals("none") ? "" : fmt((cpu - baseCpu) / 1e3)).append(" | ");
      out.append(fmt(cpu / secondary(oursAtCommon, CPU_PER_OP))).append("× | ");
      double ended = secondary(r, "ended");
      double exported = ended - secondary(r, "dropped") - secondary(r, "failed");
      out.append(fmt(cpu * ended / exported / 1e3)).append(" |\n");
    }
    out.append('\n');

    // Binary against contrib's binary disk buffer, JSON lines against the stdout exporter's JSON.
    if (highest.containsKey("ours_protobuf") && highest.containsKey("contrib_64m")) {
      target(
          "end to end, 4 threads: `ours_protobuf` ≥ 1.5× `contrib_64m` sustained spans/s",
          sustainedRatio(highest.get("ours_protobuf"), highest.get("contrib_64m")),
          1.5,
          true);
    }
    if (highest.containsKey("ours_jsonl") && highest.containsKey("stdout")) {
      target(
          "end to end, 4 threads: `ours_jsonl` ≥ 1.2× `stdout` sustained spans/s",
          sustainedRatio(highest.get("ours_jsonl"), highest.get("stdout")),
          1.2,
          true);
    }
    double contribCpu =
        secondary(find(END_TO_END, "exporter", "contrib_64m", "rate", "" + cpuRate), CPU_PER_OP);
    double stdoutCpu =
        secondary(find(END_TO_END, "exporter", "stdout", "rate", "" + cpuRate), CPU_PER_OP);
    double lowestPeer = Math.min(contribCpu, stdoutCpu); // NaN if either is missing
    String at = " at " + big(cpuRate) + " spans/s" + (common > 0 ? "" : " (not sustained by all)");
    target(
        "end to end: `ours_protobuf` CPU per span ≤ 1× the lower of `contrib_64m` and `stdout`"
            + at,
        secondary(oursAtCommon, CPU_PER_OP) / lowestPeer,
        1.0,
        false);
    JsonNode jsonlAtCommon = find(END_TO_END, "exporter", "ours_jsonl", "rate", "" + cpuRate);
    if (jsonlAtCommon != null) {
      target(
          "end to end: `ours_jsonl` CPU per span ≤ 1× `stdout`" + at,
          secondary(jsonlAtCommon, CPU_PER_OP) / stdoutCpu,
          1.0,
          false);
    }
    require(END_TO_END, "exporter", "ours_protobuf");
    require(END_TO_END, "exporter", "contrib_64m");
    require(END_TO_END, "exporter", "stdout");
  }

  /** Ours over a peer's highest sustained rate: 0 if ours sustained none, ∞ if only the peer. */
  static double sustainedRatio(int ours, int peer) {
    if (ours == 0) {
      return 0;
    }
    return peer == 0 ? Double.POSITIVE_INFINITY : (double) ours / peer;
  }

  private static String endToEndName(String exporter) {
    return exporter.equals("none")
        ? "`none`: SDK into a discarding exporter"
        : DESCRIPTIONS.getOrDefault(exporter, "`" + exporter + "`");
  }

  /** Achieved at least {@link #SUSTAINED_SHARE} of {@code rate}, and lost nothing. */
  static boolean sustained(JsonNode r, int rate) {
    return r != null
        && score(r) >= SUSTAINED_SHARE * rate
        && secondary(r, "dropped") == 0
        && secondary(r, "failed") == 0;
  }

  private static String endToEndCell(JsonNode r, int rate) {
    if (r == null) {
      return "";
    }
    double lost = secondary(r, "dropped") + secondary(r, "failed");
    double ended = secondary(r, "ended");
    String cell = big(score(r));
    if (sustained(r, rate)) {
      return cell + " ✓";
    }
    if (lost > 0) {
      double share = 100 * lost / ended;
      cell +=
          ", "
              + (share >= 0.1
                  ? String.format(Locale.ROOT, "%.1f", share)
                  : String.format(Locale.ROOT, "%.2g", share))
              + "% lost";
    }
    return cell;
  }

  // ---------------------------------------------------------------- locks

  private void breakerSection() {
    if (all(BREAKER).isEmpty() && all(COUNT).isEmpty()) {
      return;
    }
    out.append("## Circuit breaker: one lock, four locks, no lock\n\n");
    out.append(
        "Calls per microsecond through one shared breaker. `single_lock` is the library's"
            + " `CircuitBreaker` unchanged; `four_lock` the baseline with state, failure count,"
            + " last-failure time and probe flag each behind its own `synchronized` lock, taking"
            + " each only when needed (`FourLockBreaker`); `lock_free` the same algorithm as ours"
            + " on one `AtomicReference` snapshot with compare-and-set (`LockFreeBreaker`)."
            + " `closed`: `tryAcquire` + `onSuccess`. `transitions`: half the calls fail, so five"
            + " consecutive failures keep opening it, a manual clock moves so that a probe is let"
            + " through, the probe closes or reopens it (`Scenario`). 2 cores: 4 threads are"
            + " oversubscribed.\n\n");
    out.append(
        "| path | threads | single_lock | four_lock | lock_free | single / four | lock-free / four |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (String path : new String[] {"closed", "transitions"}) {
      for (int threads : new int[] {1, 2, 4}) {
        String method = BREAKER + path + "_t" + threads;
        JsonNode single = find(method, "impl", "single_lock");
        JsonNode four = find(method, "impl", "four_lock");
        JsonNode free = find(method, "impl", "lock_free");
        if (single == null && four == null && free == null) {
          continue;
        }
        out.append("| ").append(path).append(" | ").append(threads).append(" | ");
        out.append(scoreWithError(single)).append(" | ").append(scoreWithError(four)).append(" | ");
        out.append(scoreWithError(free)).append(" | ");
        out.append(ratio(single, four)).append(" | ").append(ratio(free, four)).append(" |\n");
        if (threads == 4 && single != null && four != null) {
          target(
              "breaker, " + path + ", 4 threads: single lock ≥ 1.5× four-lock calls/s",
              score(single) / score(four),
              1.5,
              true);
        }
      }
    }
    out.append('\n');
    out.append(
        "Lock acquisitions per call, counted by `CountingLock` (a `ReentrantLock` that counts"
            + " per thread). The library class locks with `synchronized`, which cannot be counted"
            + " from outside, so the count runs on `SingleLockCopy` (its algorithm step for step"
            + " over a counting lock; a test replays 200,000 random steps on both and requires"
            + " identical tickets and states) and `FourLockCopy` (the baseline over four counting"
            + " locks, checked the same way against `FourLockBreaker`). Exact counts per path,"
            + " also asserted by that test: closed success 0 vs 2 (a decision that changes nothing"
            + " reads the view the breaker publishes under its lock); closed failure 1 vs 3; the"
            + " failure that opens 1 vs 4; rejected while open 0 vs 2; probe admitted 1 vs 4;"
            + " rejected while half-open 0 vs 2; probe result 1 vs 3; a success after a counted"
            + " failure 1 vs 2.\n\n");
    out.append("| path | threads | single lock (copy) | four locks (copy) | single / four |\n");
    out.append("|---|---:|---:|---:|---:|\n");
    for (String method : new String[] {"closed_t1", "transitions_t1", "transitions_t4"}) {
      JsonNode single = find(COUNT + method, "impl", "single_lock_copy");
      JsonNode four = find(COUNT + method, "impl", "four_lock_copy");
      if (single == null || four == null) {
        continue;
      }
      double s = secondary(single, "acquisitions") / secondary(single, "calls");
      double f = secondary(four, "acquisitions") / secondary(four, "calls");
      String[] parts = method.split("_t");
      out.append("| ").append(parts[0]).append(" | ").append(parts[1]).append(" | ");
      out.append(fmt(s)).append(" | ").append(fmt(f)).append(" | ").append(fmt(s / f));
      out.append("× |\n");
      target(
          "breaker, "
              + parts[0]
              + ", "
              + parts[1]
              + " thread(s): single lock ≤ 0.5× four-lock"
              + " acquisitions per call",
          s / f,
          0.5,
          false);
    }
    out.append('\n');
    require(BREAKER + "closed_t4", "impl", "single_lock");
    require(COUNT + "closed_t1", "impl", "single_lock_copy");
  }

  private void bufferSection() {
    List<JsonNode> rows = all(BUFFER);
    if (rows.isEmpty()) {
      return;
    }
    out.append("## Batch buffer: a lane per signal against one shared lock\n\n");
    out.append(
        "A trace, a metric and a log producer thread offer entries at once while a writer"
            + " thread drains all lanes (JMH group of 4 threads on 2 cores). `lanes` is the"
            + " library's `BatchBuffer` (a lock per lane), `shared_lock` the same lanes under one"
            + " lock (`SharedLockBuffer`). Offers/µs is the sum of the three producers; `work` is"
            + " `Blackhole.consumeCPU` tokens each producer burns between offers (0 = pure"
            + " contention). Entries are tiny and lanes bounded (256 Ki entries), so offers to a"
            + " full lane are refused; accepted/µs counts those that found room.\n\n");
    out.append(
        "| work | lanes offers/µs | shared offers/µs | lanes / shared | lanes accepted/µs |"
            + " shared accepted/µs |\n");
    out.append("|---:|---:|---:|---:|---:|---:|\n");
    List<String> works = new ArrayList<>();
    for (JsonNode r : rows) {
      if (!works.contains(param(r, "work"))) {
        works.add(param(r, "work"));
      }
    }
    for (String work : works) {
      JsonNode lanes = find(BUFFER, "impl", "lanes", "work", work);
      JsonNode shared = find(BUFFER, "impl", "shared_lock", "work", work);
      double l = producerOffers(lanes);
      double s = producerOffers(shared);
      out.append("| ").append(work).append(" | ").append(fmt(l)).append(" | ").append(fmt(s));
      out.append(" | ").append(fmt(l / s)).append("× | ");
      out.append(fmt(secondary(lanes, "accepted"))).append(" | ");
      out.append(fmt(secondary(shared, "accepted"))).append(" |\n");
      target(
          "buffer, mixed writers, work " + work + ": lanes ahead of one shared lock (offers/s)",
          l / s,
          1.0,
          true);
    }
    out.append('\n');
  }

  private static double producerOffers(JsonNode r) {
    if (r == null) {
      return Double.NaN;
    }
    return secondary(r, "traces") + secondary(r, "metrics") + secondary(r, "logs");
  }

  private void countersSection() {
    if (all(COUNTERS).isEmpty()) {
      return;
    }
    out.append("## Exporter counters: adders, one lock, four locks\n\n");
    out.append(
        "One batch's accounting (items exported, bytes written, items forwarded) per call, all"
            + " threads on one exporter's counters. `adders` is the library's `ExporterCounters`"
            + " (`LongAdder`s); `grouped_lock` plain fields behind one lock; `four_locks` a lock"
            + " per counter (three taken per call). No target in the issue: for the record.\n\n");
    out.append(
        "| threads | adders calls/µs | grouped_lock | four_locks | adders / grouped | adders / four |\n");
    out.append("|---:|---:|---:|---:|---:|---:|\n");
    for (int threads : new int[] {1, 2, 4}) {
      String method = COUNTERS + "recordBatch_t" + threads;
      JsonNode adders = find(method, "impl", "adders");
      JsonNode grouped = find(method, "impl", "grouped_lock");
      JsonNode four = find(method, "impl", "four_locks");
      if (adders == null && grouped == null && four == null) {
        continue;
      }
      out.append("| ").append(threads).append(" | ").append(scoreWithError(adders)).append(" | ");
      out.append(scoreWithError(grouped)).append(" | ").append(scoreWithError(four)).append(" | ");
      out.append(ratio(adders, grouped)).append(" | ").append(ratio(adders, four)).append(" |\n");
    }
    out.append('\n');
  }

  // ---------------------------------------------------------------- helpers

  private void target(String what, double ratio, double bound, boolean atLeast) {
    String verdict;
    if (Double.isNaN(ratio)) {
      verdict = "no data";
    } else if (atLeast ? ratio >= bound : ratio <= bound) {
      verdict = "PASS";
    } else {
      double shortBy = atLeast ? (bound - ratio) / bound : (ratio - bound) / bound;
      verdict =
          "MISS by "
              + String.format(Locale.ROOT, "%.0f%%", 100 * shortBy)
              + " (needs "
              + (atLeast ? "≥ " : "≤ ")
              + fmt(bound)
              + "×)";
    }
    targets.add(new String[] {what, fmt(ratio) + "×", verdict});
  }

  private void require(String benchmark, String... params) {
    if (find(benchmark, params) == null) {
      missing.add(benchmark + " " + String.join("=", params));
    }
  }

  private List<JsonNode> all(String prefix) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode r : results) {
      if (shortName(r).startsWith(prefix)) {
        found.add(r);
      }
    }
    return found;
  }

  private JsonNode find(String benchmark, String... params) {
    for (JsonNode r : results) {
      if (!shortName(r).equals(benchmark)) {
        continue;
      }
      boolean match = true;
      for (int i = 0; i < params.length; i += 2) {
        match &= params[i + 1].equals(param(r, params[i]));
      }
      if (match) {
        return r;
      }
    }
    return null;
  }

  private static String shortName(JsonNode r) {
    String[] parts = r.path("benchmark").asText().split("\\.");
    return parts[parts.length - 2] + "." + parts[parts.length - 1];
  }

  private static String param(JsonNode r, String name) {
    return r.path("params").path(name).asText(null);
  }

  private static double score(JsonNode r) {
    return r == null ? Double.NaN : r.path("primaryMetric").path("score").asDouble(Double.NaN);
  }

  private static double secondary(JsonNode r, String name) {
    if (r == null) {
      return Double.NaN;
    }
    JsonNode m = r.path("secondaryMetrics").path(name);
    return m.isMissingNode() ? Double.NaN : m.path("score").asDouble(Double.NaN);
  }

  private static String scoreWithError(JsonNode r) {
    if (r == null) {
      return "";
    }
    JsonNode m = r.path("primaryMetric");
    double error = m.path("scoreError").asDouble(Double.NaN);
    String s = fmt(m.path("score").asDouble());
    return Double.isNaN(error) ? s : s + " ± " + fmt(error);
  }

  /** A secondary metric divided by {@code divisor}, with its error divided alike. */
  private static String withError(JsonNode r, String name, double divisor) {
    JsonNode m = r.path("secondaryMetrics").path(name);
    if (m.isMissingNode()) {
      return "n/a";
    }
    double score = m.path("score").asDouble(Double.NaN) / divisor;
    double error = m.path("scoreError").asDouble(Double.NaN) / divisor;
    return Double.isNaN(error) ? fmt(score) : fmt(score) + " ± " + fmt(error);
  }

  private static String secondaryWithError(JsonNode r, String name) {
    JsonNode m = r == null ? null : r.path("secondaryMetrics").path(name);
    if (m == null || m.isMissingNode()) {
      return "n/a";
    }
    double error = m.path("scoreError").asDouble(Double.NaN);
    String s = big(m.path("score").asDouble(Double.NaN));
    return Double.isNaN(error) ? s : s + " ± " + big(error);
  }

  private static String ratio(JsonNode a, JsonNode b) {
    double r = score(a) / score(b);
    return Double.isNaN(r) ? "" : fmt(r) + "×";
  }

  private static List<String> texts(JsonNode array) {
    List<String> list = new ArrayList<>();
    for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
      list.add(it.next().asText());
    }
    return list;
  }

  /** Three significant digits, no exponent. */
  static String fmt(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }

  /** Items per second in thousands or millions. */
  static String big(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (v >= 1e6) {
      return String.format(Locale.ROOT, "%.2f M", v / 1e6);
    }
    if (v >= 1e3) {
      return String.format(Locale.ROOT, "%.1f k", v / 1e3);
    }
    return fmt(v);
  }
}
