package io.github.otlpfile.receive;

import com.google.protobuf.Message;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OTLP/gRPC with grpc-java: the three collector services of {@code opentelemetry-proto}, gzip (the
 * grpc-java default decompressors), the request size limit after decompression ({@code
 * RESOURCE_EXHAUSTED}, enforced by grpc-java), {@code INVALID_ARGUMENT} for a request that does not
 * parse (grpc-java) and {@code UNAVAILABLE} when the buffer is full or the write fails. Calls run
 * on a fixed number of threads. Loaded only when gRPC is enabled, so that grpc-java is needed only
 * then.
 *
 * <p>Thread-safe.
 */
final class OtlpGrpcIntake {
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
      int threads) {
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
    this.server =
        NettyServerBuilder.forAddress(address)
            .executor(executor)
            .maxInboundMessageSize((int) Math.min(maxRequestBytes, Integer.MAX_VALUE))
            .addService(
                new TraceServiceGrpc.TraceServiceImplBase() {
                  @Override
                  public void export(
                      ExportTraceServiceRequest request,
                      StreamObserver<ExportTraceServiceResponse> responses) {
                    answer(
                        traces,
                        request,
                        responses,
                        ExportTraceServiceResponse.getDefaultInstance());
                  }
                })
            .addService(
                new MetricsServiceGrpc.MetricsServiceImplBase() {
                  @Override
                  public void export(
                      ExportMetricsServiceRequest request,
                      StreamObserver<ExportMetricsServiceResponse> responses) {
                    answer(
                        metrics,
                        request,
                        responses,
                        ExportMetricsServiceResponse.getDefaultInstance());
                  }
                })
            .addService(
                new LogsServiceGrpc.LogsServiceImplBase() {
                  @Override
                  public void export(
                      ExportLogsServiceRequest request,
                      StreamObserver<ExportLogsServiceResponse> responses) {
                    answer(
                        logs, request, responses, ExportLogsServiceResponse.getDefaultInstance());
                  }
                })
            .build();
  }

  private <R> void answer(
      SignalIntake<?> intake, Message request, StreamObserver<R> responses, R ok) {
    counters.requests.increment();
    counters.bytesReceived.add(request.getSerializedSize());
    SignalIntake.Outcome outcome = intake.acceptMessage(request);
    if (outcome.refusal == null) {
      responses.onNext(ok);
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
