package io.github.otlpfile.receive;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.google.protobuf.CodedOutputStream;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.otlpfile.internal.ThrottledLogger;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;

/**
 * OTLP/HTTP on the JDK's built-in server: {@code POST /v1/traces}, {@code /v1/metrics} and {@code
 * /v1/logs}, protobuf or JSON, plain or gzip, answered as the OTLP specification says. Requests are
 * handled by a fixed number of threads; a body that is not read completely within the read timeout
 * gets its connection closed.
 *
 * <p>Thread-safe.
 */
final class OtlpHttpIntake implements HttpHandler {
  private static final Logger logger = Logger.getLogger(OtlpHttpIntake.class.getName());
  static final String PROTOBUF = "application/x-protobuf";
  static final String JSON = "application/json";
  private static final String TEXT = "text/plain; charset=utf-8";
  // google.rpc.Code values, for the Status bodies of errors.
  private static final int CODE_INVALID_ARGUMENT = 3;
  private static final int CODE_NOT_FOUND = 5;
  private static final int CODE_RESOURCE_EXHAUSTED = 8;
  private static final int CODE_UNIMPLEMENTED = 12;
  private static final int CODE_UNAVAILABLE = 14;
  private static final int CODE_UNAUTHENTICATED = 16;
  // Connections waiting for a thread; beyond this the dispatcher itself handles the next one,
  // which stops it from accepting more until a thread is free.
  private static final int MAX_QUEUED_EXCHANGES = 1024;
  // How long a browser may cache a preflight answer.
  private static final long CORS_MAX_AGE_SECONDS = 7200;
  // What is read and thrown away of a body refused as too large before the answer, so that a
  // client that sends the whole body first gets the answer; beyond this the connection is closed.
  private static final long MAX_DRAINED_BYTES = 64L * 1024 * 1024;

  private final Map<String, SignalIntake<?>> intakes; // by path
  private final ReceiverCounters counters;
  private final long maxRequestBytes;
  private final long readTimeoutMillis;
  private final long retryAfterSeconds;
  private final ThrottledLogger throttledLogger = new ThrottledLogger(logger);
  private final HttpServer server;
  private final ExecutorService executor;
  private final ScheduledExecutorService watchdog;
  private final RequiredHeader requiredHeader; // null if none
  private final Set<String> corsOrigins; // empty: CORS off; "*" allows any origin

  OtlpHttpIntake(
      InetSocketAddress address,
      Map<String, SignalIntake<?>> intakes,
      ReceiverCounters counters,
      long maxRequestBytes,
      long readTimeoutMillis,
      long retryAfterSeconds,
      int threads,
      RequiredHeader requiredHeader,
      TlsSettings tls,
      Set<String> corsOrigins)
      throws IOException {
    this.corsOrigins = corsOrigins;
    this.intakes = intakes;
    this.requiredHeader = requiredHeader;
    this.counters = counters;
    this.maxRequestBytes = maxRequestBytes;
    this.readTimeoutMillis = readTimeoutMillis;
    this.retryAfterSeconds = retryAfterSeconds;
    if (tls == null) {
      this.server = HttpServer.create(address, 0);
    } else {
      HttpsServer https = HttpsServer.create(address, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()));
      this.server = https;
    }
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(MAX_QUEUED_EXCHANGES),
            r -> daemon(r, "otlp-file-receiver-http-" + n.incrementAndGet()),
            new ThreadPoolExecutor.CallerRunsPolicy());
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(1, r -> daemon(r, "otlp-file-receiver-http-timeout"));
    timer.setRemoveOnCancelPolicy(true);
    this.watchdog = timer;
    server.createContext("/", this);
    server.setExecutor(executor);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread thread = new Thread(r, name);
    thread.setDaemon(true);
    return thread;
  }

  void start() {
    server.start();
  }

  int getPort() {
    return server.getAddress().getPort();
  }

  /** Stops accepting, lets running requests finish for up to a second, stops the threads. */
  void stop() {
    server.stop(1);
    executor.shutdown();
    watchdog.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void handle(HttpExchange exchange) {
    counters.requests.increment();
    try {
      respond(exchange);
    } catch (IOException | RuntimeException e) {
      // The client went away, or its connection was closed by the read timeout.
      throttledLogger.log(Level.FINE, "OTLP/HTTP request failed: " + e, e);
    } finally {
      exchange.close();
    }
  }

  private void respond(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    SignalIntake<?> intake = intakes.get(path);
    String contentType = mediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    boolean corsAllowed =
        origin != null && (corsOrigins.contains(origin) || corsOrigins.contains("*"));
    if (corsAllowed) {
      Headers cors = exchange.getResponseHeaders();
      cors.set("Access-Control-Allow-Origin", corsOrigins.contains("*") ? "*" : origin);
      cors.set("Vary", "Origin");
      if (intake != null
          && "OPTIONS".equals(exchange.getRequestMethod())
          && exchange.getRequestHeaders().getFirst("Access-Control-Request-Method") != null) {
        // A browser's preflight: it carries no credentials, so it is answered before the check.
        cors.set("Access-Control-Allow-Methods", "POST, OPTIONS");
        String asked = exchange.getRequestHeaders().getFirst("Access-Control-Request-Headers");
        cors.set("Access-Control-Allow-Headers", allowedHeaders(asked));
        cors.set("Access-Control-Max-Age", Long.toString(CORS_MAX_AGE_SECONDS));
        exchange.sendResponseHeaders(204, -1);
        return;
      }
    }
    // Before anything else, so that a sender without the header learns nothing about the paths.
    if (requiredHeader != null
        && !requiredHeader.matches(exchange.getRequestHeaders().get(requiredHeader.getName()))) {
      counters.refused(ReceiverStats.Refusal.UNAUTHENTICATED);
      throttledLogger.log(
          Level.WARNING,
          "Refused an OTLP/HTTP request to "
              + path
              + " with 401: the required header "
              + requiredHeader.getName()
              + " is missing or wrong");
      sendError(
          exchange,
          401,
          CODE_UNAUTHENTICATED,
          contentType,
          "401 unauthorized: the required header "
              + requiredHeader.getName()
              + " is missing or wrong");
      return;
    }
    if (intake == null) {
      counters.refused(ReceiverStats.Refusal.NOT_FOUND);
      sendError(exchange, 404, CODE_NOT_FOUND, contentType, "404 page not found: " + path);
      return;
    }
    if (!"POST".equals(exchange.getRequestMethod())) {
      counters.refused(ReceiverStats.Refusal.METHOD_NOT_ALLOWED);
      exchange.getResponseHeaders().set("Allow", "POST");
      sendError(
          exchange,
          405,
          CODE_UNIMPLEMENTED,
          contentType,
          "405 method not allowed, supported: [POST]");
      return;
    }
    boolean json = JSON.equals(contentType);
    if (!json && !PROTOBUF.equals(contentType)) {
      counters.refused(ReceiverStats.Refusal.UNSUPPORTED_MEDIA_TYPE);
      sendError(
          exchange,
          415,
          CODE_INVALID_ARGUMENT,
          null,
          "415 unsupported media type, supported: [" + JSON + ", " + PROTOBUF + "]");
      return;
    }
    Headers headers = exchange.getRequestHeaders();
    String encoding = headers.getFirst("Content-Encoding");
    boolean gzip;
    if (encoding == null || encoding.isEmpty() || "identity".equalsIgnoreCase(encoding)) {
      gzip = false;
    } else if ("gzip".equalsIgnoreCase(encoding.trim())) {
      gzip = true;
    } else {
      counters.refused(ReceiverStats.Refusal.MALFORMED);
      sendError(
          exchange,
          400,
          CODE_INVALID_ARGUMENT,
          contentType,
          "unsupported Content-Encoding " + encoding + ", supported: [gzip]");
      return;
    }
    Body body;
    try {
      body = readBody(exchange, gzip);
    } catch (BodyTooLargeException e) {
      counters.refused(ReceiverStats.Refusal.TOO_LARGE);
      sendError(exchange, 413, CODE_RESOURCE_EXHAUSTED, contentType, e.getMessage());
      return;
    } catch (BadGzipException e) {
      counters.refused(ReceiverStats.Refusal.MALFORMED);
      sendError(exchange, 400, CODE_INVALID_ARGUMENT, contentType, e.getMessage());
      return;
    }
    counters.bytesReceived.add(body.length);
    SignalIntake.Outcome outcome = accept(intake, body, json);
    if (outcome.refusal == null) {
      byte[] ok = json ? "{}".getBytes(StandardCharsets.UTF_8) : new byte[0];
      send(exchange, 200, contentType, ok);
      return;
    }
    switch (outcome.refusal) {
      case MALFORMED:
        sendError(exchange, 400, CODE_INVALID_ARGUMENT, contentType, outcome.detail);
        return;
      case TOO_LARGE:
        sendError(exchange, 413, CODE_RESOURCE_EXHAUSTED, contentType, outcome.detail);
        return;
      default:
        throttledLogger.log(
            Level.WARNING,
            "Refused an OTLP/HTTP request to " + path + " with 503: " + outcome.detail);
        exchange.getResponseHeaders().set("Retry-After", Long.toString(retryAfterSeconds));
        sendError(exchange, 503, CODE_UNAVAILABLE, contentType, outcome.detail);
    }
  }

  /**
   * The headers an allowed origin may send: those the browser asked for (the origin is trusted),
   * or, when it named none, those the receiver reads and the required header.
   */
  private String allowedHeaders(String asked) {
    String allowed = "Content-Type, Content-Encoding";
    if (requiredHeader != null) {
      allowed += ", " + requiredHeader.getName();
    }
    return asked == null || asked.trim().isEmpty() ? allowed : asked.trim();
  }

  /** The media type of a Content-Type header, lower case, without parameters; null if none. */
  static String mediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.trim().toLowerCase(Locale.ROOT);
  }

  /** Takes a request's decoded body into its signal's intake: OTLP/JSON or binary protobuf. */
  static SignalIntake.Outcome accept(SignalIntake<?> intake, Body body, boolean json) {
    return json
        ? intake.acceptJson(body.bytes, body.length)
        : intake.acceptBinary(body.bytes, body.length);
  }

  /** A request's body, decompressed: {@code bytes[0, length)}. */
  static final class Body {
    final byte[] bytes;
    final int length;

    Body(byte[] bytes, int length) {
      this.bytes = bytes;
      this.length = length;
    }
  }

  /** A body over the limit, compressed or not; answered with 413. */
  static final class BodyTooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException(String message) {
      super(message, null, false, false);
    }
  }

  /** A body announced as gzip that is not valid gzip data; answered with 400. */
  static final class BadGzipException extends Exception {
    private static final long serialVersionUID = 1L;

    BadGzipException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Reads the body, decompressing it if asked, and never holds more than {@code maxRequestBytes} of
   * it: a larger body, compressed or not, stops the read at the first byte past the limit.
   */
  private Body readBody(HttpExchange exchange, boolean gzip)
      throws IOException, BodyTooLargeException, BadGzipException {
    AtomicBoolean settled = new AtomicBoolean();
    ScheduledFuture<?> timeout =
        watchdog.schedule(
            () -> {
              if (settled.compareAndSet(false, true)) {
                counters.refused(ReceiverStats.Refusal.READ_TIMEOUT);
                exchange.close(); // closes the connection: the blocked read fails
              }
            },
            readTimeoutMillis,
            TimeUnit.MILLISECONDS);
    try (InputStream raw = exchange.getRequestBody()) {
      try {
        return readBody(raw, gzip, settled);
      } catch (BodyTooLargeException e) {
        drain(raw); // so that the client, still sending, reads the answer instead of a reset
        throw e;
      }
    } finally {
      settled.set(true);
      timeout.cancel(false);
    }
  }

  /** Reads and throws away up to {@link #MAX_DRAINED_BYTES} of what is left of a refused body. */
  private static void drain(InputStream raw) {
    byte[] sink = new byte[16 * 1024];
    long drained = 0;
    try {
      for (int n = raw.read(sink); n >= 0 && drained < MAX_DRAINED_BYTES; n = raw.read(sink)) {
        drained += n;
      }
    } catch (IOException e) {
      // The connection is closed after the answer anyway.
    }
  }

  private Body readBody(InputStream raw, boolean gzip, AtomicBoolean settled)
      throws IOException, BodyTooLargeException, BadGzipException {
    Body body = decodeBody(raw, gzip, maxRequestBytes);
    if (!settled.compareAndSet(false, true)) {
      throw new IOException("read timeout"); // the connection is already closed
    }
    return body;
  }

  /**
   * Reads a body to its end, decompressing it if it is gzip, and never holds more than {@code
   * maxRequestBytes} of it: a larger body, compressed or not, stops the read at the first byte past
   * the limit, so a small compressed body that inflates to gigabytes is never inflated further.
   */
  static Body decodeBody(InputStream raw, boolean gzip, long maxRequestBytes)
      throws IOException, BodyTooLargeException, BadGzipException {
    InputStream in;
    if (gzip) {
      try {
        in = new GZIPInputStream(raw, 8192);
      } catch (IOException e) {
        throw new BadGzipException("the body is not gzip data: " + e.getMessage());
      }
    } else {
      in = raw;
    }
    return readAtMost(in, gzip, maxRequestBytes);
  }

  private static Body readAtMost(InputStream in, boolean gzip, long maxRequestBytes)
      throws IOException, BodyTooLargeException, BadGzipException {
    ExposedBuffer out = new ExposedBuffer();
    byte[] chunk = new byte[16 * 1024];
    long total = 0;
    while (true) {
      int n;
      try {
        n = in.read(chunk, 0, (int) Math.min(chunk.length, maxRequestBytes - total + 1));
      } catch (java.util.zip.ZipException | java.io.EOFException e) {
        if (gzip) {
          throw new BadGzipException("the body is not valid gzip data: " + e.getMessage());
        }
        throw e;
      }
      if (n < 0) {
        return new Body(out.buffer(), out.size());
      }
      total += n;
      if (total > maxRequestBytes) {
        throw new BodyTooLargeException(
            "the request is larger than " + maxRequestBytes + " bytes (after decompression)");
      }
      out.write(chunk, 0, n);
    }
  }

  /** A byte array stream whose array is handed out without a copy. */
  private static final class ExposedBuffer extends ByteArrayOutputStream {
    ExposedBuffer() {
      super(16 * 1024);
    }

    byte[] buffer() {
      return buf;
    }
  }

  /**
   * Sends an error with a {@code google.rpc.Status} body in the request's content type (protobuf or
   * JSON), or as plain text when the request had neither.
   */
  private static void sendError(
      HttpExchange exchange, int status, int code, String contentType, String message)
      throws IOException {
    if (PROTOBUF.equals(contentType)) {
      send(exchange, status, PROTOBUF, statusProto(code, message));
    } else if (JSON.equals(contentType)) {
      send(exchange, status, JSON, statusJson(code, message));
    } else {
      send(exchange, status, TEXT, message.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A {@code google.rpc.Status} message: {@code int32 code = 1; string message = 2;}. */
  static byte[] statusProto(int code, String message) throws IOException {
    int size =
        CodedOutputStream.computeInt32Size(1, code)
            + CodedOutputStream.computeStringSize(2, message);
    byte[] bytes = new byte[size];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeInt32(1, code);
    out.writeString(2, message);
    out.checkNoSpaceLeft();
    return bytes;
  }

  static byte[] statusJson(int code, String message) {
    String quoted = new String(JsonStringEncoder.getInstance().quoteAsString(message));
    return ("{\"code\":" + code + ",\"message\":\"" + quoted + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
