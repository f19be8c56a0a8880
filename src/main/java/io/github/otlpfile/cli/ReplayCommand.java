package io.github.otlpfile.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.otlpfile.CircuitBreakerConfig;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.internal.forward.CircuitBreaker;
import io.github.otlpfile.read.OtlpFileProblem;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpRecord;
import io.opentelemetry.sdk.common.Clock;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * Sends the records of OTLP files to an OTLP endpoint, in reading order, one record (one request)
 * at a time, and keeps a checkpoint of what the endpoint acknowledged so that a replay that was
 * stopped (Ctrl-C, a crash, an outage) goes on where it stopped.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Sends OTLP files to an OTLP endpoint, in file order, resuming where a stopped replay"
          + " stopped.",
      "Exit status 0 when every record was delivered, 1 when anything was not (or a file is"
          + " damaged), 2 for bad usage."
    })
final class ReplayCommand implements Callable<Integer> {
  // The OpenTelemetry exporters log each failed attempt; the command says it once, itself.
  private static final Logger OTEL_LOGGER = Logger.getLogger("io.opentelemetry");
  private static final int MAX_NAME_WIDTH = 100;

  @Spec CommandSpec spec;

  // Unknown options are collected here instead of being echoed whole by the parser: a mistyped
  // header option may carry a credential after its '='.
  @Unmatched List<String> unmatched = new ArrayList<>();

  @Option(
      names = "--endpoint",
      required = true,
      paramLabel = "URL",
      description =
          "Base URL of the OTLP receiver, like OTEL_EXPORTER_OTLP_ENDPOINT: for http/protobuf"
              + " /v1/traces, /v1/metrics or /v1/logs is appended; for grpc scheme://host:port.")
  String endpoint;

  @Option(
      names = "--protocol",
      paramLabel = "PROTOCOL",
      defaultValue = ReplaySender.HTTP_PROTOBUF,
      description = "http/protobuf or grpc (default: ${DEFAULT-VALUE}).")
  String protocol = ReplaySender.HTTP_PROTOBUF;

  @Option(
      names = "--header",
      paramLabel = "NAME=VALUE",
      description =
          "A header sent with every request, for example Authorization=Bearer...; repeatable."
              + " Values are never printed.")
  List<String> headers = new ArrayList<>();

  @Option(
      names = "--rate",
      paramLabel = "ITEMS",
      description = "At most this many items (spans, metric points, log records) per second.")
  Double rate;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = CliValues.Time.class,
      description =
          "How long one request may take, the exporter's retries included (default:"
              + " ${DEFAULT-VALUE}).")
  Duration timeout = Duration.ofSeconds(30);

  @Option(
      names = "--max-outage",
      paramLabel = "DURATION",
      defaultValue = "5m",
      converter = CliValues.Time.class,
      description =
          "Give up when the endpoint has been unavailable this long; the checkpoint keeps the"
              + " place (default: ${DEFAULT-VALUE}).")
  Duration maxOutage = Duration.ofMinutes(5);

  @Option(
      names = "--retry-interval",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = CliValues.Time.class,
      description =
          "While the endpoint is unavailable, how long the circuit breaker waits before trying"
              + " again (default: ${DEFAULT-VALUE}).")
  Duration retryInterval = Duration.ofSeconds(5);

  @Option(
      names = "--checkpoint",
      paramLabel = "FILE",
      description = {
        "Where to keep the place. Default, in the first PATH (or its folder if it is a file):",
        ".otlp-file-replay-HASH.checkpoint, HASH of the protocol and endpoint."
      })
  Path checkpointPath;

  @Option(names = "--restart", description = "Ignore the checkpoint and send everything again.")
  boolean restart;

  @Option(
      names = "--skip-rejected",
      description =
          "When the endpoint rejects a record for good (400, 401, 413, ...), count it as failed"
              + " and go on; by default the replay stops there.")
  boolean skipRejected;

  @Option(names = "--json", description = "Print the summary as one JSON object.")
  boolean json;

  @Option(
      names = "--verbose",
      description = "Show stack traces and the OpenTelemetry exporters' own log messages.")
  boolean verbose;

  @Parameters(
      paramLabel = "PATH",
      arity = "1..*",
      description = "OTLP files or folders (searched recursively), read in file order.")
  List<Path> paths;

  private final AtomicBoolean stopRequested = new AtomicBoolean();
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  // When the endpoint became unavailable, by System.nanoTime(); -1 while it answers. Replay loop.
  private long outageStartNanos = -1;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CliValues.rejectUnmatched(spec, unmatched);
    Map<String, String> headerMap;
    try {
      if (!protocol.equals(ReplaySender.HTTP_PROTOBUF) && !protocol.equals(ReplaySender.GRPC)) {
        throw new IllegalArgumentException(
            "--protocol must be http/protobuf or grpc, but was " + protocol);
      }
      if (rate != null && !(rate > 0 && rate < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("--rate must be a positive number, but was " + rate);
      }
      if (timeout.isZero() || maxOutage.isZero() || retryInterval.isZero()) {
        throw new IllegalArgumentException(
            "--timeout, --max-outage and --retry-interval must be positive");
      }
      headerMap = CliValues.headers("--header", headers);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }

    ReplaySender sender;
    try {
      sender = new ReplaySender(endpoint, protocol, headerMap, timeout);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    } catch (LinkageError e) {
      err.println(
          "otlp-file replay: the OpenTelemetry OTLP exporters (io.opentelemetry:"
              + "opentelemetry-exporter-otlp) are not on the class path: "
              + e);
      err.flush();
      return 1;
    }

    // Before anything is written: a checkpoint beside a mistyped path would be left behind.
    boolean missing = false;
    for (Path path : paths) {
      if (!Files.exists(path)) {
        err.println("otlp-file replay: " + path + ": no such file or folder");
        missing = true;
      }
    }
    if (missing) {
      err.flush();
      return 1;
    }
    Path checkpointFile =
        checkpointPath != null
            ? checkpointPath
            : ReplayCheckpoint.defaultPath(paths.get(0), protocol, endpoint);
    ReplayCheckpoint checkpoint;
    try {
      checkpoint =
          restart
              ? ReplayCheckpoint.empty(checkpointFile, endpoint, protocol)
              : ReplayCheckpoint.load(checkpointFile, endpoint, protocol);
      checkpoint.save(); // fails now, before anything is sent, if it cannot be written
    } catch (IOException e) {
      return fail(
          err,
          "cannot use checkpoint "
              + checkpointFile
              + " ("
              + e
              + "); pass --checkpoint with a writable place",
          e);
    } catch (IllegalStateException e) {
      return fail(err, e.getMessage(), e);
    }

    Level otelLevel = OTEL_LOGGER.getLevel();
    if (!verbose) {
      OTEL_LOGGER.setLevel(Level.OFF);
    }
    Thread hook = new Thread(this::stopFromSignal, "otlp-file-replay-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return replay(sender, checkpoint, out, err);
    } finally {
      finished.countDown();
      sender.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook is running
      }
      OTEL_LOGGER.setLevel(otelLevel);
    }
  }

  /** Ctrl-C or SIGTERM: stop after the record in flight, and let the summary be printed. */
  private void stopFromSignal() {
    stopRequested.set(true);
    stopSignal.countDown();
    try {
      finished.await(timeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int replay(
      ReplaySender sender, ReplayCheckpoint checkpoint, PrintWriter out, PrintWriter err) {
    PrintStream errStream = System.err;
    boolean terminal = System.console() != null && !json;
    List<ReplayTally> tallies = new ArrayList<>();
    ReplayTally total = new ReplayTally("total");
    String stopReason = null;
    boolean interrupted = false;
    long problems;
    CircuitBreaker breaker =
        new CircuitBreaker(
            CircuitBreakerConfig.builder()
                .setFailureThreshold(3)
                .setOpenDuration(retryInterval)
                .build(),
            Clock.getDefault(),
            CircuitBreaker.Listener.NOOP);
    Pacer pacer = new Pacer(rate);
    if (!json) {
      out.println(
          "Replaying to "
              + endpoint
              + " ("
              + protocol
              + "), checkpoint "
              + checkpoint.getPath().toAbsolutePath());
      out.flush();
    }
    try (OtlpFileReader reader =
            OtlpFileReader.builder()
                .setProblemListener(problem -> reportProblem(err, problem))
                .open(paths.toArray(new Path[0]));
        ReplayProgress progress =
            ReplayProgress.create(
                terminal, ReplayProgress.estimateBytes(paths), json ? err : out, errStream)) {
      Iterator<OtlpRecord> records = reader.iterator();
      ReplayTally tally = null;
      Path file = null;
      long done = 0;
      long index = 0;
      long fileStart = System.nanoTime();
      boolean sending = true;
      while (true) {
        OtlpRecord record;
        if (stopRequested.get()) {
          interrupted = true;
          break;
        }
        if (!records.hasNext()) {
          break;
        }
        record = records.next();
        if (!record.getFile().equals(file)) {
          if (tally != null) {
            progress.fileDone(tally, Duration.ofNanos(System.nanoTime() - fileStart));
          }
          file = record.getFile();
          tally = new ReplayTally(file.toString());
          tallies.add(tally);
          done = checkpoint.recordsDone(file);
          index = 0;
          fileStart = System.nanoTime();
        }
        long position = index++;
        int items = record.getItemCount();
        tally.records++;
        progress.record(
            record.getSizeBytes() + (record.getFormat() == OtlpFileFormat.PROTOBUF ? 4 : 1));
        if (position < done) {
          tally.earlier += items;
          continue;
        }
        if (!sending) {
          tally.skipped += items;
          continue;
        }
        if (items == 0) {
          checkpoint.setRecordsDone(file, position + 1);
          continue;
        }
        if (rate != null && pacer.await(items, this::pause)) {
          tally.skipped += items;
          interrupted = true;
          break;
        }
        Delivery delivery = deliver(sender, breaker, record, progress);
        switch (delivery.outcome) {
          case DELIVERED:
            tally.delivered += items;
            progress.delivered(items);
            checkpoint.setRecordsDone(file, position + 1);
            saveCheckpoint(checkpoint);
            break;
          case REJECTED:
            tally.failed += items;
            String where = record.toString();
            if (skipRejected) {
              progress.note(
                  "otlp-file replay: "
                      + where
                      + " was rejected ("
                      + delivery.reason
                      + "); counted as failed, going on");
              checkpoint.setRecordsDone(file, position + 1);
              saveCheckpoint(checkpoint);
            } else {
              stopReason =
                  "the endpoint rejected the "
                      + where
                      + " ("
                      + delivery.reason
                      + "); pass --skip-rejected to go on past such records";
              sending = false;
            }
            break;
          case STOPPED:
            tally.skipped += items;
            interrupted = true;
            break;
          default: // GAVE_UP
            tally.skipped += items;
            stopReason =
                "the endpoint was unavailable for more than "
                    + describe(maxOutage)
                    + " (last: "
                    + delivery.reason
                    + ")";
            sending = false;
            break;
        }
        if (interrupted) {
          break;
        }
      }
      if (tally != null && !interrupted) {
        progress.fileDone(tally, Duration.ofNanos(System.nanoTime() - fileStart));
      }
      problems = reader.getProblemCount();
    } catch (CheckpointException e) {
      return fail(err, e.getMessage(), e.getCause());
    } catch (RuntimeException e) {
      return fail(err, "replay failed: " + e, e);
    }
    for (ReplayTally tally : tallies) {
      total.add(tally);
    }
    boolean complete = stopReason == null && !interrupted && total.failed == 0;
    if (json) {
      printJson(out, tallies, total, complete, interrupted, stopReason, problems);
    } else {
      printSummary(out, tallies, total, complete, interrupted, stopReason, problems);
    }
    if (stopReason != null) {
      err.println("otlp-file replay: stopped: " + stopReason);
    }
    if (interrupted) {
      err.println(
          "otlp-file replay: interrupted; run the same command again to go on from the checkpoint");
    }
    err.flush();
    out.flush();
    return complete && problems == 0 ? 0 : 1;
  }

  private enum DeliveryOutcome {
    DELIVERED,
    REJECTED,
    GAVE_UP,
    STOPPED
  }

  private static final class Delivery {
    final DeliveryOutcome outcome;
    final String reason;

    Delivery(DeliveryOutcome outcome, String reason) {
      this.outcome = outcome;
      this.reason = reason;
    }
  }

  /**
   * Sends one record until it is delivered or rejected, the outage lasts longer than {@code
   * --max-outage}, or a stop is requested. Failures go through the circuit breaker: a few in a row
   * open it, and then one probe is sent every {@code --retry-interval}.
   */
  private Delivery deliver(
      ReplaySender sender, CircuitBreaker breaker, OtlpRecord record, ReplayProgress progress) {
    String lastReason = "no attempt";
    boolean told = false;
    while (true) {
      if (stopRequested.get()) {
        return new Delivery(DeliveryOutcome.STOPPED, lastReason);
      }
      if (outageStartNanos >= 0 && System.nanoTime() - outageStartNanos > maxOutage.toNanos()) {
        return new Delivery(DeliveryOutcome.GAVE_UP, lastReason);
      }
      long ticket = breaker.tryAcquire();
      if (ticket == CircuitBreaker.REJECTED) {
        if (pause(Math.min(200, retryInterval.toMillis()))) {
          return new Delivery(DeliveryOutcome.STOPPED, lastReason);
        }
        continue;
      }
      ReplaySender.Result result = sender.send(record);
      switch (result.outcome) {
        case DELIVERED:
          breaker.onSuccess(ticket);
          if (outageStartNanos >= 0) {
            progress.note(
                "otlp-file replay: the endpoint answers again after "
                    + describe(Duration.ofNanos(System.nanoTime() - outageStartNanos)));
          }
          outageStartNanos = -1;
          return new Delivery(DeliveryOutcome.DELIVERED, null);
        case REJECTED:
          breaker.onSuccess(ticket); // the endpoint is up; it does not want this record
          return new Delivery(DeliveryOutcome.REJECTED, result.reason);
        default:
          breaker.onFailure(ticket);
          lastReason = result.reason;
          if (outageStartNanos < 0) {
            outageStartNanos = System.nanoTime();
          }
          if (!told) {
            progress.note(
                "otlp-file replay: the endpoint is unavailable ("
                    + result.reason
                    + "); retrying every "
                    + describe(retryInterval)
                    + " for up to "
                    + describe(maxOutage));
            told = true;
          }
          if (pause(Math.min(1000, retryInterval.toMillis()))) {
            return new Delivery(DeliveryOutcome.STOPPED, lastReason);
          }
      }
    }
  }

  /** Waits up to {@code millis}; returns whether a stop was requested. */
  private boolean pause(long millis) {
    try {
      return stopSignal.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** Spaces sends so that items per second stay at or below the rate. */
  static final class Pacer {
    interface Sleeper {
      boolean sleep(long millis);
    }

    private final Double rate;
    private long startNanos = -1;
    private long itemsBefore;

    Pacer(Double rate) {
      this.rate = rate;
    }

    /**
     * Waits until {@code items} more items may go; returns {@code true} if the wait was stopped.
     */
    boolean await(int items, Sleeper sleeper) {
      if (rate == null) {
        return false;
      }
      long now = System.nanoTime();
      if (startNanos < 0) {
        startNanos = now;
      }
      long dueNanos = startNanos + (long) (itemsBefore / rate * 1e9);
      itemsBefore += items;
      long waitMillis = TimeUnit.NANOSECONDS.toMillis(dueNanos - now);
      return waitMillis > 0 && sleeper.sleep(waitMillis);
    }
  }

  private static final class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CheckpointException(String message, IOException cause) {
      super(message, cause);
    }
  }

  private static void saveCheckpoint(ReplayCheckpoint checkpoint) {
    try {
      checkpoint.save();
    } catch (IOException e) {
      throw new CheckpointException(
          "cannot write checkpoint " + checkpoint.getPath() + ": " + e, e);
    }
  }

  private void reportProblem(PrintWriter err, OtlpFileProblem problem) {
    err.println("otlp-file replay: " + problem + " (not sent)");
    err.flush();
  }

  private int fail(PrintWriter err, String message, Throwable cause) {
    err.println("otlp-file replay: " + message);
    if (verbose && cause != null) {
      cause.printStackTrace(err);
    }
    err.flush();
    return 1;
  }

  private static String describe(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    long seconds = duration.getSeconds();
    if (seconds < 120) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    return seconds / 60 + " min " + seconds % 60 + " s";
  }

  private void printSummary(
      PrintWriter out,
      List<ReplayTally> tallies,
      ReplayTally total,
      boolean complete,
      boolean interrupted,
      String stopReason,
      long problems) {
    int width = 5;
    for (ReplayTally tally : tallies) {
      width = Math.max(width, Math.min(MAX_NAME_WIDTH, tally.file.length()));
    }
    out.printf(
        Locale.ROOT,
        "%-" + width + "s %8s %10s %8s %8s %8s%n",
        "file",
        "records",
        "delivered",
        "failed",
        "skipped",
        "earlier");
    for (ReplayTally tally : tallies) {
      row(out, tally, width);
    }
    row(out, total, width);
    String state =
        complete
            ? problems == 0 ? "complete" : "complete, but " + problems + " damaged records not sent"
            : interrupted ? "interrupted" : "incomplete: " + stopReason;
    out.printf(
        Locale.ROOT,
        "Replay %s: %d items delivered, %d failed, %d skipped, %d delivered earlier%n",
        state,
        total.delivered,
        total.failed,
        total.skipped,
        total.earlier);
  }

  private static void row(PrintWriter out, ReplayTally tally, int width) {
    String name = tally.file;
    if (name.length() > width) {
      name = "..." + name.substring(name.length() - width + 3);
    }
    out.printf(
        Locale.ROOT,
        "%-" + width + "s %8d %10d %8d %8d %8d%n",
        name,
        tally.records,
        tally.delivered,
        tally.failed,
        tally.skipped,
        tally.earlier);
  }

  private void printJson(
      PrintWriter out,
      List<ReplayTally> tallies,
      ReplayTally total,
      boolean complete,
      boolean interrupted,
      String stopReason,
      long problems) {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
      json.writeStartObject();
      json.writeStringField("endpoint", endpoint);
      json.writeStringField("protocol", protocol);
      json.writeBooleanField("complete", complete);
      json.writeBooleanField("interrupted", interrupted);
      if (stopReason != null) {
        json.writeStringField("stopReason", stopReason);
      }
      json.writeNumberField("invalidRecords", problems);
      writeCounts(json, total);
      json.writeArrayFieldStart("files");
      for (ReplayTally tally : tallies) {
        json.writeStartObject();
        json.writeStringField("file", tally.file);
        writeCounts(json, tally);
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException(e); // a StringWriter does not fail
    }
    out.println(text);
  }

  private static void writeCounts(JsonGenerator json, ReplayTally tally) throws IOException {
    json.writeNumberField("records", tally.records);
    json.writeNumberField("delivered", tally.delivered);
    json.writeNumberField("failed", tally.failed);
    json.writeNumberField("skipped", tally.skipped);
    json.writeNumberField("earlier", tally.earlier);
  }
}
