package io.github.otlpfile.receive;

import io.github.otlpfile.internal.ThrottledLogger;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * OTLP/gRPC with grpc-java: the three collector services of {@code opentelemetry-proto}, gzip (the
 * grpc-java default decompressors), the request size limit after decompression ({@code
 * RESOURCE_EXHAUSTED}, enforced by grpc-java), {@code INVALID_ARGUMENT} for a request that does not
 * parse and {@code UNAVAILABLE} when the buffer is full or the write fails. Calls run on a fixed
 * number of threads. Loaded only when gRPC is enabled, so that grpc-java is needed only then.
 *
 * <p>Thread-safe.
 */
final class OtlpGrpcIntake {
  private static final Logger logger = Logger.getLogger(OtlpGrpcIntake.class.getName());
  private final ThrottledLogger throttledLogger = new ThrottledLogger(logger);
  private final Server server;
  private final ExecutorService executor;
  private final ReceiverCounters counters;

  OtlpGrpcIntake(
      InetSocketAddress address,
      SignalIntake<?> traces,
      SignalIntake<?> metrics,
      SignalIntake<?> logs,
      ReceiverCounters counters,
      long maxRequestBytes,
      int threads,
      RequiredHeader requiredHeader,
      TlsSettings tls) {
    this.counters = counters;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread thread = new Thread(r, "otlp-file-receiver-grpc-" + n.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    NettyServerBuilder builder =
        tls == null
            ? NettyServerBuilder.forAddress(address)
            : NettyServerBuilder.forAddress(
                address, TlsServerCredentials.newBuilder().keyManager(tls.keyManagers()).build());
    if (requiredHeader != null) {
      builder.intercept(new RequiredHeaderCheck(requiredHeader));
    }
    this.server =
        builder
            .executor(executor)
            .maxInboundMessageSize((int) Math.min(maxRequestBytes, Integer.MAX_VALUE))
            .addService(service(TraceServiceGrpc.getExportMethod(), traces))
            .addService(service(MetricsServiceGrpc.getExportMethod(), metrics))
            .addService(service(LogsServiceGrpc.getExportMethod(), logs))
            .build();
  }

  /**
   * The collector service of {@code export}, taking the request's bytes as they came, so that they
   * can be validated (an undecodable request gets {@code INVALID_ARGUMENT}, not grpc-java's {@code
   * INTERNAL}) and written without re-encoding. Every {@code Export*ServiceResponse} without a
   * partial success is empty, so the answer is zero bytes.
   */
  private ServerServiceDefinition service(MethodDescriptor<?, ?> export, SignalIntake<?> intake) {
    MethodDescriptor<byte[], byte[]> method = export.toBuilder(RAW, RAW).build();
    return ServerServiceDefinition.builder(export.getServiceName())
        .addMethod(
            method,
            ServerCalls.asyncUnaryCall((request, responses) -> answer(intake, request, responses)))
        .build();
  }

  private void answer(SignalIntake<?> intake, byte[] request, StreamObserver<byte[]> responses) {
    counters.requests.increment();
    counters.bytesReceived.add(request.length);
    SignalIntake.Outcome outcome = intake.acceptBinary(request, request.length);
    if (outcome.refusal == null) {
      responses.onNext(new byte[0]);
      responses.onCompleted();
      return;
    }
    Status status;
    switch (outcome.refusal) {
      case MALFORMED:
        status = Status.INVALID_ARGUMENT;
        break;
      case TOO_LARGE:
        status = Status.RESOURCE_EXHAUSTED;
        break;
      default:
        status = Status.UNAVAILABLE;
    }
    responses.onError(status.withDescription(outcome.detail).asRuntimeException());
  }

  /**
   * Closes a call without the required header with {@code UNAUTHENTICATED} before its request is
   * read. Counts it as a request refused.
   */
  private final class RequiredHeaderCheck implements ServerInterceptor {
    private final RequiredHeader required;
    private final Metadata.Key<String> key;

    RequiredHeaderCheck(RequiredHeader required) {
      this.required = required;
      this.key = Metadata.Key.of(required.getGrpcKey(), Metadata.ASCII_STRING_MARSHALLER);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      Iterable<String> values = headers.getAll(key);
      List<String> presented = new ArrayList<>();
      if (values != null) {
        for (String value : values) {
          presented.add(value);
        }
      }
      if (required.matches(presented)) {
        return next.startCall(call, headers);
      }
      counters.requests.increment();
      counters.refused(ReceiverStats.Refusal.UNAUTHENTICATED);
      String message = "the required header " + required.getName() + " is missing or wrong";
      throttledLogger.log(
          Level.WARNING,
          "Refused an OTLP/gRPC call to "
              + call.getMethodDescriptor().getFullMethodName()
              + " with UNAUTHENTICATED: "
              + message);
      call.close(Status.UNAUTHENTICATED.withDescription(message), new Metadata());
      return new ServerCall.Listener<Q>() {};
    }
  }

  /** Passes a message's bytes through unparsed; grpc-java has already applied the size limit. */
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
            throw Status.INTERNAL
                .withDescription("cannot read the request")
                .withCause(e)
                .asRuntimeException();
          }
        }
      };

  void start() throws IOException {
    server.start();
  }

  int getPort() {
    return server.getPort();
  }

  /** Stops accepting calls, lets running calls finish for up to 5 seconds. */
  void stop() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    executor.shutdown();
  }
}
