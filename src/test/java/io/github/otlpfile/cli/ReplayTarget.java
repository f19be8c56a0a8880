package io.github.otlpfile.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * An OTLP/HTTP endpoint on 127.0.0.1 for replay tests. It decodes every protobuf request with the
 * {@code opentelemetry-proto} classes and keeps what it accepted (span ids in arrival order, so
 * duplicates show), and answers with a fault when told to: a status for chosen requests, or a
 * required header.
 */
final class ReplayTarget implements AutoCloseable {
  /** What to answer a request: 200 and keep it, or a status (with Retry-After if not null). */
  static final class Answer {
    final int status;
    final String retryAfter;

    Answer(int status, String retryAfter) {
      this.status = status;
      this.retryAfter = retryAfter;
    }

    static final Answer OK = new Answer(200, null);
  }

  interface Policy {
    /** The answer to the request with this number (from 1, counting every request). */
    Answer answer(int request);
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> spanIds = new CopyOnWriteArrayList<>();
  private final List<ExportMetricsServiceRequest> metricRequests = new CopyOnWriteArrayList<>();
  private final AtomicInteger logRecords = new AtomicInteger();
  private final List<Long> arrivalNanos = new CopyOnWriteArrayList<>();
  private final List<String> headerValues = new CopyOnWriteArrayList<>();
  private final List<Integer> acceptedSizes = new CopyOnWriteArrayList<>();
  private volatile Policy policy = request -> Answer.OK;
  private volatile String requiredAuthorization;

  ReplayTarget() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void setPolicy(Policy policy) {
    this.policy = policy;
  }

  /** Answers every request 503 while {@code failing} says so for its number. */
  void failWhile(IntPredicate failing) {
    policy = request -> failing.test(request) ? new Answer(503, null) : Answer.OK;
  }

  void requireAuthorization(String value) {
    this.requiredAuthorization = value;
  }

  int requests() {
    return requests.get();
  }

  List<String> spanIds() {
    return new ArrayList<>(spanIds);
  }

  List<Integer> acceptedSpanCounts() {
    return new ArrayList<>(acceptedSizes);
  }

  List<ExportMetricsServiceRequest> metricRequests() {
    return new ArrayList<>(metricRequests);
  }

  int logRecords() {
    return logRecords.get();
  }

  List<Long> arrivalNanos() {
    return new ArrayList<>(arrivalNanos);
  }

  List<String> headerValues() {
    return new ArrayList<>(headerValues);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (HttpExchange e = exchange) {
      byte[] body;
      try (InputStream in = e.getRequestBody()) {
        body = in.readAllBytes();
      }
      int number = requests.incrementAndGet();
      arrivalNanos.add(System.nanoTime());
      String authorization = e.getRequestHeaders().getFirst("Authorization");
      if (authorization != null) {
        headerValues.add(authorization);
      }
      String required = requiredAuthorization;
      if (required != null && !required.equals(authorization)) {
        respond(e, 401, null);
        return;
      }
      Answer answer = policy.answer(number);
      if (answer.status != 200) {
        respond(e, answer.status, answer.retryAfter);
        return;
      }
      String path = e.getRequestURI().getPath();
      if (path.equals("/v1/traces")) {
        int count = 0;
        for (ResourceSpans resource :
            ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
          for (ScopeSpans scope : resource.getScopeSpansList()) {
            for (Span span : scope.getSpansList()) {
              spanIds.add(hex(span.getSpanId().toByteArray()));
              count++;
            }
          }
        }
        acceptedSizes.add(count);
      } else if (path.equals("/v1/metrics")) {
        metricRequests.add(ExportMetricsServiceRequest.parseFrom(body));
      } else if (path.equals("/v1/logs")) {
        for (ResourceLogs resource :
            ExportLogsServiceRequest.parseFrom(body).getResourceLogsList()) {
          for (ScopeLogs scope : resource.getScopeLogsList()) {
            logRecords.addAndGet(scope.getLogRecordsCount());
          }
        }
      } else {
        respond(e, 404, null);
        return;
      }
      respond(e, 200, null);
    }
  }

  private static void respond(HttpExchange exchange, int status, String retryAfter)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
    if (retryAfter != null) {
      exchange.getResponseHeaders().set("Retry-After", retryAfter);
    }
    // An empty Export*ServiceResponse for 200; an empty body for the faults.
    exchange.sendResponseHeaders(status, -1);
    try (OutputStream out = exchange.getResponseBody()) {
      out.flush();
    }
  }

  static String hex(byte[] bytes) {
    StringBuilder text = new StringBuilder();
    for (byte b : bytes) {
      text.append(String.format("%02x", b & 0xff));
    }
    return text.toString();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
