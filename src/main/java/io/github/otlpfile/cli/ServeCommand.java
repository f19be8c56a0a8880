package io.github.otlpfile.cli;

import io.github.otlpfile.Compression;
import io.github.otlpfile.Durability;
import io.github.otlpfile.ExporterStats;
import io.github.otlpfile.cli.view.ViewServer;
import io.github.otlpfile.read.OtlpSignal;
import io.github.otlpfile.receive.OtlpFileReceiver;
import io.github.otlpfile.receive.OtlpFileReceiverBuilder;
import io.github.otlpfile.receive.ReceiverStats;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * Runs the OTLP receiver in the foreground: prints where it listens, one status line per interval,
 * and on Ctrl-C or SIGTERM stops accepting, answers the requests in progress, writes what is
 * buffered and closes the files before the process exits.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Receives OTLP over HTTP and gRPC and writes it to OTLP files, until Ctrl-C or SIGTERM.",
      "Exit status 0 after a clean stop, 1 when it cannot listen or the files could not be"
          + " closed, 2 for bad usage."
    })
final class ServeCommand implements Callable<Integer> {
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(30);

  @Spec CommandSpec spec;

  // Unknown options are collected here instead of being echoed whole by the parser: a mistyped
  // header option may carry a credential after its '='.
  @Unmatched List<String> unmatched = new ArrayList<>();

  @Option(
      names = {"-d", "--directory"},
      paramLabel = "DIR",
      description = "Where to write (default: ${DEFAULT-VALUE}).",
      defaultValue = "otlp-files")
  Path directory = Paths.get("otlp-files");

  @Mixin FormatOption formatOption;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      defaultValue = "4318",
      description = "OTLP/HTTP port; 0 takes a free one (default: ${DEFAULT-VALUE}).")
  int httpPort = OtlpFileReceiverBuilder.DEFAULT_HTTP_PORT;

  @Option(
      names = "--grpc-port",
      paramLabel = "PORT",
      defaultValue = "4317",
      description =
          "OTLP/gRPC port; 0 takes a free one, -1 turns gRPC off (default: ${DEFAULT-VALUE}).")
  int grpcPort = OtlpFileReceiverBuilder.DEFAULT_GRPC_PORT;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on; 0.0.0.0 accepts other machines (default: ${DEFAULT-VALUE}).")
  String bind = OtlpFileReceiverBuilder.DEFAULT_BIND_ADDRESS;

  @Option(
      names = "--max-file-size",
      paramLabel = "SIZE",
      converter = CliValues.Size.class,
      description = "Start a new file before one grows past this (default: 64MiB).")
  Long maxFileSize;

  @Option(
      names = "--max-file-age",
      paramLabel = "DURATION",
      converter = CliValues.Time.class,
      description = "Start a new file once one is this old (default: 1h).")
  Duration maxFileAge;

  @Option(
      names = "--max-files",
      paramLabel = "N",
      description = "Keep at most this many files per signal, deleting the oldest (default: 500).")
  Integer maxFiles;

  @Option(
      names = "--max-total-size",
      paramLabel = "SIZE",
      converter = CliValues.Size.class,
      description = "Keep at most this many bytes of files per signal (default: 1GiB).")
  Long maxTotalSize;

  @Option(
      names = "--max-age",
      paramLabel = "DURATION",
      converter = CliValues.Time.class,
      description = "Delete files last written longer ago than this (default: 7d).")
  Duration maxAge;

  @Option(
      names = "--compression",
      paramLabel = "none|gzip",
      converter = CliValues.CompressionName.class,
      description = "gzip each file once it is closed (default: none).")
  Compression compression;

  @Option(
      names = "--durability",
      paramLabel = "none|on_rotate|every_write",
      converter = CliValues.DurabilityName.class,
      description =
          "When files are forced to disk; every_write answers a request only once it is on disk"
              + " (default: on_rotate).")
  Durability durability;

  @Option(
      names = "--buffer-capacity",
      paramLabel = "SIZE",
      converter = CliValues.Size.class,
      description =
          "Bytes per signal that may wait for the writer; when full, requests get 503 (default:"
              + " 64MiB).")
  Long bufferCapacity;

  @Option(
      names = "--required-header",
      paramLabel = "NAME=VALUE",
      description =
          "Answer 401 to requests without this header and value. The value is never shown.")
  String requiredHeader;

  @Option(
      names = "--forward-endpoint",
      paramLabel = "URL",
      description =
          "Also forward what was written to this OTLP/HTTP base URL, behind a circuit breaker.")
  String forwardEndpoint;

  @Option(
      names = "--forward-header",
      paramLabel = "NAME=VALUE",
      description = "A header for --forward-endpoint; repeatable. Values are never shown.")
  List<String> forwardHeaders = new ArrayList<>();

  @Option(
      names = "--status-interval",
      paramLabel = "DURATION",
      converter = CliValues.Time.class,
      defaultValue = "10s",
      description = "Print a status line this often; 0s for none (default: ${DEFAULT-VALUE}).")
  Duration statusInterval = Duration.ofSeconds(10);

  @Option(
      names = "--ui",
      description =
          "Also serve the page of `otlp-file view` over the files being written, on 127.0.0.1,"
              + " updated as data arrives.")
  boolean ui;

  @Option(
      names = "--ui-port",
      paramLabel = "PORT",
      defaultValue = "0",
      description = "The page's port with --ui; 0 for a free one (default: ${DEFAULT-VALUE}).")
  int uiPort;

  @Option(names = "--verbose", description = "Show stack traces.")
  boolean verbose;

  // The page of --ui, or null; closed when the receiver stops.
  private volatile ViewServer view;

  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicInteger exitStatus = new AtomicInteger(0);

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CliValues.rejectUnmatched(spec, unmatched);
    OtlpFileReceiver receiver;
    try {
      receiver = configure().build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    try {
      receiver.start();
    } catch (UncheckedIOException | IllegalStateException e) {
      receiver.shutdown().join(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      err.println(
          "otlp-file serve: "
              + e.getMessage()
              + (e.getCause() != null ? ": " + e.getCause().getMessage() : ""));
      if (verbose) {
        e.printStackTrace(err);
      }
      err.flush();
      return 1;
    }
    out.println(
        "otlp-file serve: writing "
            + formatOption.format
            + " files to "
            + directory.toAbsolutePath().normalize());
    out.println("otlp-file serve: OTLP/HTTP on " + receiver.getHttpEndpoint());
    if (receiver.getGrpcEndpoint() != null) {
      out.println("otlp-file serve: OTLP/gRPC on " + receiver.getGrpcEndpoint());
    }
    if (ui) {
      try {
        view = ViewServer.start(Collections.singletonList(directory), uiPort, true);
      } catch (IOException | RuntimeException e) {
        receiver.shutdown().join(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        err.println("otlp-file serve: cannot serve the page on port " + uiPort + ": " + e);
        err.flush();
        return 1;
      }
      out.println("otlp-file serve: the page on " + view.getUri());
    }
    out.println("otlp-file serve: press Ctrl-C to stop");
    out.flush();

    long startNanos = System.nanoTime();
    Thread hook =
        new Thread(
            () -> {
              stop(receiver, out, startNanos);
              out.flush();
              // Stopped by a signal: the files are closed; exit with the outcome, not 128+signal.
              Runtime.getRuntime().halt(exitStatus.get());
            },
            "otlp-file-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      while (!awaitStop(statusInterval) && !stopping.get()) {
        out.println(status(receiver.getStats(), startNanos));
        out.flush();
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
        stop(receiver, out, startNanos);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook stops the receiver and ends the process
      }
    }
    return exitStatus.get();
  }

  private boolean awaitStop(Duration interval) {
    try {
      if (interval.isZero()) {
        stopped.await();
        return true;
      }
      return stopped.await(interval.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private void stop(OtlpFileReceiver receiver, PrintWriter out, long startNanos) {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    out.println("otlp-file serve: stopping; finishing requests in progress and closing files");
    out.flush();
    ViewServer page = view;
    if (page != null) {
      page.close();
    }
    CompletableResultCode result = receiver.shutdown();
    result.join(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    out.println(status(receiver.getStats(), startNanos));
    if (result.isSuccess()) {
      out.println("otlp-file serve: stopped; every accepted request is in the files");
    } else {
      exitStatus.set(1);
      out.println(
          "otlp-file serve: stopped, but the files could not all be written and closed within "
              + SHUTDOWN_WAIT.getSeconds()
              + " s");
    }
    out.flush();
    stopped.countDown();
  }

  private OtlpFileReceiverBuilder configure() {
    OtlpFileReceiverBuilder builder =
        OtlpFileReceiver.builder()
            .setDirectory(directory)
            .setFormat(formatOption.format)
            .setHttpPort(httpPort)
            .setGrpcPort(grpcPort)
            .setBindAddress(bind);
    // Unset options keep the receiver's defaults.
    ifSet(maxFileSize, builder::setMaxFileSize);
    ifSet(maxFileAge, builder::setMaxFileAge);
    ifSet(maxFiles, builder::setMaxFiles);
    ifSet(maxTotalSize, builder::setMaxTotalSize);
    ifSet(maxAge, builder::setMaxAge);
    ifSet(compression, builder::setCompression);
    ifSet(durability, builder::setDurability);
    ifSet(bufferCapacity, builder::setBufferCapacity);
    ifSet(forwardEndpoint, builder::setForwardEndpoint);
    if (requiredHeader != null) {
      Map<String, String> header =
          CliValues.headers(
              "--required-header", java.util.Collections.singletonList(requiredHeader));
      Map.Entry<String, String> entry = header.entrySet().iterator().next();
      builder.setRequiredHeader(entry.getKey(), entry.getValue());
    }
    if (!forwardHeaders.isEmpty()) {
      builder.setForwardHeaders(CliValues.headers("--forward-header", forwardHeaders));
    }
    return builder;
  }

  private static <T> void ifSet(T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }

  static String status(ReceiverStats stats, long startNanos) {
    long dropped = 0;
    long failed = 0;
    for (OtlpSignal signal : OtlpSignal.values()) {
      ExporterStats files = stats.getFileStats(signal);
      dropped += files.getDroppedItems();
      failed += files.getFailedItems();
    }
    return String.format(
        Locale.ROOT,
        "otlp-file serve: %ds up, %d requests, %d spans, %d metric points, %d log records,"
            + " %d bytes received, %d refused, %d items dropped, %d items failed to write",
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos),
        stats.getRequests(),
        stats.getAcceptedItems(OtlpSignal.TRACES),
        stats.getAcceptedItems(OtlpSignal.METRICS),
        stats.getAcceptedItems(OtlpSignal.LOGS),
        stats.getBytesReceived(),
        stats.getRefusedRequests(),
        dropped,
        failed);
  }
}
