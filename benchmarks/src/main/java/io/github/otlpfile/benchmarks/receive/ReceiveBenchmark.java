package io.github.otlpfile.benchmarks.receive;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.otlpfile.Durability;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.benchmarks.data.TelemetryData;
import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpSignal;
import io.github.otlpfile.receive.OtlpFileReceiver;
import io.github.otlpfile.receive.OtlpFileReceiverBuilder;
import io.github.otlpfile.receive.ReceiverStats;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * OpenTelemetry Java's own OTLP exporters sending 512-span batches (the suite's {@link
 * TelemetryData#spans()}) from 4 threads to a receiver on 127.0.0.1. One operation is one {@code
 * export()} of the batch through one shared {@link OtlpHttpSpanExporter} (protobuf) or {@link
 * OtlpGrpcSpanExporter}, waited for; ops/s is requests/s, the {@code items} counter spans/s.
 *
 * <p>Candidates: {@code ours_http_binpb}, {@code ours_grpc_binpb}, {@code ours_http_jsonl}: the
 * library's {@link OtlpFileReceiver} writing {@code PROTOBUF} or {@code JSON_LINES} files ({@code
 * Durability.NONE}, other settings the defaults). {@code limit_http}: the JDK {@link HttpServer}
 * with a fixed pool of as many threads as the receiver's, reading each body into a byte array and
 * answering 200 with no body, writing nothing. {@code limit_grpc}: grpc-java (Netty) with the three
 * collector services taking the request's bytes as the receiver does and answering an empty
 * response. The limits are what receiving costs on this machine with these senders.
 *
 * <p>Before measuring, a receiver candidate is checked end to end: a separate receiver of the same
 * settings gets four batches, is shut down, and its files must read back as exactly those spans
 * (counted with {@link OtlpFileReader}). At the end of the trial every request must have been
 * accepted and every accepted span written.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(4)
public class ReceiveBenchmark {
  private static final int CHECK_BATCHES = 4;

  @Param({"ours_http_binpb", "ours_grpc_binpb", "ours_http_jsonl", "limit_http", "limit_grpc"})
  public String receiver;

  private List<SpanData> batch;
  private Path directory;
  private Receiver server;
  private SpanExporter sender;
  private ExecutorService senderThreads;
  private final LongAdder sent = new LongAdder();

  /** Where the files go: {@code -Dotlpfile.bench.dir=...}, else the temporary directory. */
  static Path baseDirectory() throws IOException {
    String configured = System.getProperty("otlpfile.bench.dir");
    Path base =
        configured != null
            ? Paths.get(configured)
            : Paths.get(System.getProperty("java.io.tmpdir"));
    return Files.createDirectories(base);
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    batch = TelemetryData.spans();
    directory = Files.createTempDirectory(baseDirectory(), "receive-" + receiver + "-");
    try {
      if (receiver.startsWith("ours_")) {
        checkFiles(directory.resolve("check"));
      }
      server = start(receiver, directory.resolve("run"));
      senderThreads = Executors.newCachedThreadPool(daemons("sender-"));
      sender = sender(receiver, server, senderThreads);
    } catch (IOException | RuntimeException e) {
      deleteTree(directory); // JMH skips the teardown of a failed setup
      throw e;
    }
  }

  /** Sends {@link #CHECK_BATCHES} batches to a receiver of its own and reads back its files. */
  private void checkFiles(Path checkDirectory) throws IOException {
    Receiver check = start(receiver, checkDirectory);
    ExecutorService checkThreads = Executors.newCachedThreadPool(daemons("check-sender-"));
    SpanExporter checkSender = sender(receiver, check, checkThreads);
    try {
      for (int i = 0; i < CHECK_BATCHES; i++) {
        join(checkSender.export(batch), receiver + " (check)");
      }
    } finally {
      checkSender.shutdown().join(10, TimeUnit.SECONDS);
      checkThreads.shutdownNow();
      check.close();
    }
    List<SpanData> read = OtlpFileReader.readSpans(checkDirectory);
    long expected = (long) CHECK_BATCHES * batch.size();
    if (read.size() != expected) {
      throw new IllegalStateException(
          receiver + ": its files hold " + read.size() + " spans, " + expected + " were sent");
    }
    for (int i = 0; i < read.size(); i++) {
      SpanData in = batch.get(i % batch.size());
      SpanData out = read.get(i);
      if (!in.getSpanId().equals(out.getSpanId()) || !in.getName().equals(out.getName())) {
        throw new IllegalStateException(
            receiver + ": span " + i + " of the files is not the span sent: " + out);
      }
    }
    deleteTree(checkDirectory);
  }

  @TearDown(Level.Iteration)
  public void afterIteration() throws IOException {
    deleteOldFiles(directory.resolve("run"));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    try {
      sender.shutdown().join(10, TimeUnit.SECONDS);
      senderThreads.shutdownNow();
      server.close();
      server.verify(sent.sum() * batch.size());
    } finally {
      deleteTree(directory);
    }
  }

  /** Spans sent, reported per second next to the requests per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Output {
    public long items;

    @Setup(Level.Iteration)
    public void reset() {
      items = 0;
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void export(Output output) {
    join(sender.export(batch), receiver);
    sent.increment();
    output.items += TelemetryData.BATCH_SIZE;
  }

  // ---------------------------------------------------------------- senders

  /**
   * The exporter of the candidate's protocol. Its default okhttp executor allows 5 calls at a time
   * and rejects more, which 4 callers can reach while finished calls' threads are still returning
   * to the pool: it gets an unbounded pool instead.
   */
  private static SpanExporter sender(String name, Receiver server, ExecutorService threads) {
    if (name.contains("grpc")) {
      return OtlpGrpcSpanExporter.builder()
          .setEndpoint(server.grpcEndpoint())
          .setTimeout(30, TimeUnit.SECONDS)
          .setExecutorService(threads)
          .build();
    }
    return OtlpHttpSpanExporter.builder()
        .setEndpoint(server.httpEndpoint() + "/v1/traces")
        .setTimeout(30, TimeUnit.SECONDS)
        .setExecutorService(threads)
        .build();
  }

  private static void join(CompletableResultCode result, String what) {
    if (!result.join(30, TimeUnit.SECONDS).isSuccess()) {
      throw new IllegalStateException(
          what + ": export " + (result.isDone() ? "failed" : "did not complete in 30 s"));
    }
  }

  // ---------------------------------------------------------------- receivers

  private static Receiver start(String name, Path directory) throws IOException {
    switch (name) {
      case "ours_http_binpb":
        return new Ours(directory, OtlpFileFormat.PROTOBUF, false);
      case "ours_grpc_binpb":
        return new Ours(directory, OtlpFileFormat.PROTOBUF, true);
      case "ours_http_jsonl":
        return new Ours(directory, OtlpFileFormat.JSON_LINES, false);
      case "limit_http":
        return new LimitHttp();
      case "limit_grpc":
        return new LimitGrpc();
      default:
        throw new IllegalArgumentException("unknown receiver " + name);
    }
  }

  private abstract static class Receiver {
    String httpEndpoint() {
      throw new UnsupportedOperationException();
    }

    String grpcEndpoint() {
      throw new UnsupportedOperationException();
    }

    abstract void close();

    /** Fails unless {@code spans} spans were received (and, for ours, accepted and written). */
    void verify(long spans) {}
  }

  private static final class Ours extends Receiver {
    private final OtlpFileReceiver receiver;

    Ours(Path directory, OtlpFileFormat format, boolean grpc) {
      OtlpFileReceiverBuilder builder =
          OtlpFileReceiver.builder()
              .setDirectory(directory)
              .setFormat(format)
              .setDurability(Durability.NONE)
              .setBindAddress("127.0.0.1")
              .setHttpPort(0)
              .setGrpcPort(grpc ? 0 : -1);
      this.receiver = builder.build().start();
    }

    @Override
    String httpEndpoint() {
      return receiver.getHttpEndpoint();
    }

    @Override
    String grpcEndpoint() {
      return receiver.getGrpcEndpoint();
    }

    @Override
    void close() {
      if (!receiver.shutdown().join(60, TimeUnit.SECONDS).isSuccess()) {
        throw new IllegalStateException("the receiver did not shut down cleanly");
      }
    }

    @Override
    void verify(long spans) {
      ReceiverStats stats = receiver.getStats();
      long accepted = stats.getAcceptedItems(OtlpSignal.TRACES);
      long written = stats.getFileStats(OtlpSignal.TRACES).getExportedItems();
      if (stats.getRefusedRequests() != 0 || accepted != spans || written != spans) {
        throw new IllegalStateException(
            "sent "
                + spans
                + " spans; the receiver accepted "
                + accepted
                + ", wrote "
                + written
                + ": "
                + stats);
      }
    }
  }

  /** The JDK server reading each body and answering 200, with the receiver's thread count. */
  private static final class LimitHttp extends Receiver {
    private final HttpServer server;
    private final ExecutorService executor;
    private final LongAdder requests = new LongAdder();

    LimitHttp() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      executor =
          Executors.newFixedThreadPool(
              OtlpFileReceiverBuilder.DEFAULT_MAX_CONCURRENT_REQUESTS, daemons("limit-http-"));
      server.createContext("/", this::handle);
      server.setExecutor(executor);
      server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
      try (InputStream body = exchange.getRequestBody()) {
        if (body.readAllBytes().length == 0) {
          throw new IOException("empty request");
        }
      }
      requests.increment();
      String type = exchange.getRequestHeaders().getFirst("Content-Type");
      exchange
          .getResponseHeaders()
          .set("Content-Type", type == null ? "application/x-protobuf" : type);
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    }

    @Override
    String httpEndpoint() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    void close() {
      server.stop(0);
      executor.shutdownNow();
    }

    @Override
    void verify(long spans) {
      if (requests.sum() * TelemetryData.BATCH_SIZE != spans) {
        throw new IllegalStateException(requests.sum() + " requests for " + spans + " spans");
      }
    }
  }

  /** grpc-java with the three collector services, each reading the request and answering empty. */
  private static final class LimitGrpc extends Receiver {
    private final Server server;
    private final ExecutorService executor;
    private final LongAdder requests = new LongAdder();

    LimitGrpc() throws IOException {
      executor =
          Executors.newFixedThreadPool(
              OtlpFileReceiverBuilder.DEFAULT_MAX_CONCURRENT_REQUESTS, daemons("limit-grpc-"));
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
              .executor(executor)
              .maxInboundMessageSize(64 * 1024 * 1024)
              .addService(service(TraceServiceGrpc.getExportMethod()))
              .addService(service(MetricsServiceGrpc.getExportMethod()))
              .addService(service(LogsServiceGrpc.getExportMethod()))
              .build()
              .start();
    }

    private ServerServiceDefinition service(MethodDescriptor<?, ?> export) {
      MethodDescriptor<byte[], byte[]> method = export.toBuilder(RAW, RAW).build();
      return ServerServiceDefinition.builder(export.getServiceName())
          .addMethod(
              method,
              ServerCalls.asyncUnaryCall(
                  (request, responses) -> {
                    requests.increment();
                    responses.onNext(new byte[0]);
                    responses.onCompleted();
                  }))
          .build();
    }

    @Override
    String grpcEndpoint() {
      return "http://127.0.0.1:" + server.getPort();
    }

    @Override
    void close() {
      server.shutdownNow();
      try {
        server.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      executor.shutdownNow();
    }

    @Override
    void verify(long spans) {
      if (requests.sum() * TelemetryData.BATCH_SIZE != spans) {
        throw new IllegalStateException(requests.sum() + " requests for " + spans + " spans");
      }
    }
  }

  /** The receiver's marshaller: a message's bytes, read in 16 KiB chunks, unparsed. */
  private static final MethodDescriptor.Marshaller<byte[]> RAW =
      new MethodDescriptor.Marshaller<byte[]>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[16 * 1024];
            for (int n = stream.read(chunk); n >= 0; n = stream.read(chunk)) {
              out.write(chunk, 0, n);
            }
            return out.toByteArray();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private static java.util.concurrent.ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread thread = new Thread(r, prefix + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  // ---------------------------------------------------------------- files

  /**
   * Deletes all but the two newest files of each folder (names sort by creation time); the newest
   * may still be open, the one before may still be being compressed.
   */
  private static void deleteOldFiles(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return;
    }
    Map<Path, List<Path>> byFolder;
    try (Stream<Path> s = Files.walk(root)) {
      byFolder = s.filter(Files::isRegularFile).collect(Collectors.groupingBy(Path::getParent));
    }
    for (List<Path> files : byFolder.values()) {
      List<Path> sorted = new ArrayList<>(files);
      sorted.sort(Comparator.naturalOrder());
      for (int i = 0; i < sorted.size() - 2; i++) {
        Files.deleteIfExists(sorted.get(i));
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(p);
      }
    }
  }
}
