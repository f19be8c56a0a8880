package io.github.otlpfile;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP receiver on 127.0.0.1 for tests: decodes protobuf requests with the {@code
 * opentelemetry-proto} classes and counts what it accepted with status 200, or answers with the
 * fault it is told to. Stopping it makes connections fail with "connection refused"; starting it
 * again listens on the same port.
 */
final class OtlpHttpReceiver implements AutoCloseable {
  enum Mode {
    /** 200 with an empty response: the items are counted. */
    OK,
    /** 500, not retryable. */
    FAIL_500,
    /** 503 with {@code Retry-After: 0}, retryable, every time. */
    UNAVAILABLE_503,
    /** 503 with {@code Retry-After: 0} for the first request, then {@link #OK}. */
    UNAVAILABLE_503_ONCE,
    /** 429 with {@code Retry-After: 1}, every time. */
    TOO_MANY_429,
    /** 400 for the next request (a permanent rejection), then {@link #OK}. */
    BAD_REQUEST_400_ONCE,
    /** Holds the request without answering until the receiver is closed. */
    STALL
  }

  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicLong spans = new AtomicLong();
  private final AtomicLong metrics = new AtomicLong();
  private final AtomicLong logRecords = new AtomicLong();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> spanNames = new CopyOnWriteArrayList<>();
  private final List<String> spanIds = new CopyOnWriteArrayList<>();
  private final List<ExportMetricsServiceRequest> metricRequests = new CopyOnWriteArrayList<>();
  private final List<String> paths = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private volatile Mode mode = Mode.OK;
  private volatile HttpServer server;
  private int port;

  OtlpHttpReceiver() throws IOException {
    start();
  }

  synchronized void start() throws IOException {
    HttpServer s =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    s.createContext("/", this::handle);
    s.setExecutor(executor);
    s.start();
    port = s.getAddress().getPort();
    server = s;
  }

  /** Stops listening; new connections are refused until {@link #start()}. */
  synchronized void stop() {
    server.stop(0);
  }

  void setMode(Mode mode) {
    this.mode = mode;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  String tracesUrl() {
    return baseUrl() + "/v1/traces";
  }

  long spans() {
    return spans.get();
  }

  long metrics() {
    return metrics.get();
  }

  long logRecords() {
    return logRecords.get();
  }

  int requests() {
    return requests.get();
  }

  List<String> spanNames() {
    return spanNames;
  }

  /** The ids (hex) of the spans accepted, in the order they arrived. */
  List<String> spanIds() {
    return spanIds;
  }

  List<ExportMetricsServiceRequest> metricRequests() {
    return metricRequests;
  }

  List<String> paths() {
    return paths;
  }

  List<String> authorizations() {
    return authorizations;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      byte[] body = readBody(exchange);
      Mode current = mode;
      switch (current) {
        case FAIL_500:
          respond(exchange, 500, new byte[0]);
          return;
        case UNAVAILABLE_503_ONCE:
          mode = Mode.OK;
        // fall through
        case UNAVAILABLE_503:
          exchange.getResponseHeaders().add("Retry-After", "0");
          respond(exchange, 503, new byte[0]);
          return;
        case TOO_MANY_429:
          exchange.getResponseHeaders().add("Retry-After", "1");
          respond(exchange, 429, new byte[0]);
          return;
        case BAD_REQUEST_400_ONCE:
          mode = Mode.OK;
          respond(exchange, 400, new byte[0]);
          return;
        case STALL:
          try {
            closed.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          respond(exchange, 503, new byte[0]);
          return;
        case OK:
          break;
      }
      String path = exchange.getRequestURI().getPath();
      paths.add(path);
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization != null) {
        authorizations.add(authorization);
      }
      byte[] response;
      switch (path) {
        case "/v1/traces":
          for (ResourceSpans rs :
              ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
              for (Span span : ss.getSpansList()) {
                spanNames.add(span.getName());
                spanIds.add(hex(span.getSpanId().toByteArray()));
              }
              spans.addAndGet(ss.getSpansCount());
            }
          }
          response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
          break;
        case "/v1/metrics":
          ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(body);
          metricRequests.add(request);
          for (ResourceMetrics rm : request.getResourceMetricsList()) {
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
              metrics.addAndGet(sm.getMetricsCount());
            }
          }
          response = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
          break;
        case "/v1/logs":
          for (ResourceLogs rl : ExportLogsServiceRequest.parseFrom(body).getResourceLogsList()) {
            for (ScopeLogs sl : rl.getScopeLogsList()) {
              logRecords.addAndGet(sl.getLogRecordsCount());
            }
          }
          response = ExportLogsServiceResponse.getDefaultInstance().toByteArray();
          break;
        default:
          respond(exchange, 404, new byte[0]);
          return;
      }
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      respond(exchange, 200, response);
    }
  }

  private static String hex(byte[] bytes) {
    StringBuilder text = new StringBuilder();
    for (byte b : bytes) {
      text.append(String.format("%02x", b));
    }
    return text.toString();
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      in = new GZIPInputStream(in);
    }
    return in.readAllBytes();
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
    executor.awaitTermination(10, TimeUnit.SECONDS);
  }
}
