package io.github.otlpfile.receive;

import static java.util.Objects.requireNonNull;

import io.github.otlpfile.CircuitBreakerConfig;
import io.github.otlpfile.Compression;
import io.github.otlpfile.Durability;
import io.github.otlpfile.OtlpFileExporterBuilder;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OverflowPolicy;
import io.github.otlpfile.internal.FileSettingsBuilder;
import io.github.otlpfile.internal.Signal;
import io.github.otlpfile.internal.forward.ForwardDelegate;
import io.github.otlpfile.internal.forward.ForwardSettings;
import io.github.otlpfile.internal.forward.ForwardSettingsBuilder;
import io.github.otlpfile.internal.forward.OtlpHttpForwarding;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builder for {@link OtlpFileReceiver}. The file settings mean exactly what they mean for the
 * exporters (see {@link OtlpFileExporterBuilder}) and have the same defaults; the buffer capacity
 * applies to each signal. Setters check for {@code null} at once; {@link #build()} checks ranges
 * and throws {@link IllegalArgumentException} naming the setting.
 *
 * <p>Not thread-safe.
 */
public final class OtlpFileReceiverBuilder {
  /** The default OTLP/HTTP port: {@value}, the OTLP standard. */
  public static final int DEFAULT_HTTP_PORT = 4318;

  /** The default OTLP/gRPC port: {@value}, the OTLP standard. */
  public static final int DEFAULT_GRPC_PORT = 4317;

  /** The default address to listen on: {@value}; nothing is reachable from other machines. */
  public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";

  /** The default limit on a request body after decompression: 64 MiB. */
  public static final long DEFAULT_MAX_REQUEST_BYTES = 64L * 1024 * 1024;

  /** The default time an HTTP request body may take to arrive: 30 seconds. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

  /** The default number of requests handled at the same time, per protocol: {@value}. */
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 16;

  // An origin as browsers send it: scheme, host and an optional port, nothing else.
  private static final Pattern ORIGIN =
      Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#\\s:]+(:[0-9]{1,5})?");

  // Largest body a byte array can hold.
  private static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

  private final FileSettingsBuilder files = new FileSettingsBuilder();
  private final ForwardSettingsBuilder forward = new ForwardSettingsBuilder();
  private SpanExporter forwardSpansTo;
  private MetricExporter forwardMetricsTo;
  private LogRecordExporter forwardLogsTo;
  private int httpPort = DEFAULT_HTTP_PORT;
  private int grpcPort = DEFAULT_GRPC_PORT;
  private String bindAddress = DEFAULT_BIND_ADDRESS;
  private long maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
  private Duration readTimeout = DEFAULT_READ_TIMEOUT;
  private int maxConcurrentRequests = DEFAULT_MAX_CONCURRENT_REQUESTS;
  private String requiredHeaderName;
  private String requiredHeaderValue; // a secret: never in a message or toString()
  // TLS from PEM files, or from a key store; at most one of the two is set.
  private Path tlsCertificateChain;
  private Path tlsPrivateKey;
  private KeyStore tlsKeyStore;
  private char[] tlsKeyStorePassword; // a secret
  private List<String> corsAllowedOrigins = Collections.emptyList();

  OtlpFileReceiverBuilder() {}

  /** See {@link OtlpFileExporterBuilder#setDirectory}. */
  public OtlpFileReceiverBuilder setDirectory(Path directory) {
    files.setDirectory(requireNonNull(directory, "directory"));
    return this;
  }

  /**
   * Sets the file format. A binary request received for {@link OtlpFileFormat#PROTOBUF} files is
   * written as it came; see {@link OtlpFileExporterBuilder#setFormat}.
   */
  public OtlpFileReceiverBuilder setFormat(OtlpFileFormat format) {
    files.setFormat(requireNonNull(format, "format"));
    return this;
  }

  /**
   * Sets how many bytes of received requests may wait in memory for the writer, per signal. When it
   * is full, requests are refused with HTTP 503 and {@code Retry-After} (gRPC {@code UNAVAILABLE})
   * under {@link OverflowPolicy#DROP}, or wait for room under {@link OverflowPolicy#BLOCK}. See
   * {@link OtlpFileExporterBuilder#setBufferCapacity}.
   */
  public OtlpFileReceiverBuilder setBufferCapacity(long bytes) {
    files.setBufferCapacity(bytes);
    return this;
  }

  /** See {@link OtlpFileExporterBuilder#setOverflowPolicy} and {@link #setBufferCapacity}. */
  public OtlpFileReceiverBuilder setOverflowPolicy(OverflowPolicy overflowPolicy) {
    files.setOverflowPolicy(requireNonNull(overflowPolicy, "overflowPolicy"));
    return this;
  }

  /** See {@link OtlpFileExporterBuilder#setMaxFileSize}. */
  public OtlpFileReceiverBuilder setMaxFileSize(long bytes) {
    files.setMaxFileSize(bytes);
    return this;
  }

  /** See {@link OtlpFileExporterBuilder#setMaxFileAge}. */
  public OtlpFileReceiverBuilder setMaxFileAge(Duration maxFileAge) {
    files.setMaxFileAge(requireNonNull(maxFileAge, "maxFileAge"));
    return this;
  }

  /** See {@link OtlpFileExporterBuilder#setMaxFiles}. */
  public OtlpFileReceiverBuilder setMaxFiles(int maxFiles) {
    files.setMaxFiles(maxFiles);
    return this;
  }

  /** See {@link OtlpFileExporterBuilder#setMaxTotalSize}. */
  public OtlpFileReceiverBuilder setMaxTotalSize(long bytes) {
    files.setMaxTotalSize(bytes);
    return this;
  }

  /** See {@link OtlpFileExporterBuilder#setMaxAge}. */
  public OtlpFileReceiverBuilder setMaxAge(Duration maxAge) {
    files.setMaxAge(requireNonNull(maxAge, "maxAge"));
    return this;
  }

  /** See {@link OtlpFileExporterBuilder#setCompression}. */
  public OtlpFileReceiverBuilder setCompression(Compression compression) {
    files.setCompression(requireNonNull(compression, "compression"));
    return this;
  }

  /** See {@link OtlpFileExporterBuilder#setDurability}. */
  public OtlpFileReceiverBuilder setDurability(Durability durability) {
    files.setDurability(requireNonNull(durability, "durability"));
    return this;
  }

  /** See {@link OtlpFileExporterBuilder#setClock}. */
  public OtlpFileReceiverBuilder setClock(Clock clock) {
    files.setClock(requireNonNull(clock, "clock"));
    return this;
  }

  /**
   * Publishes the file counters of each signal on {@code meterProvider}, as the exporters do. See
   * {@link OtlpFileExporterBuilder#setMeterProvider}.
   */
  public OtlpFileReceiverBuilder setMeterProvider(MeterProvider meterProvider) {
    files.setMeterProvider(requireNonNull(meterProvider, "meterProvider"));
    return this;
  }

  /**
   * Forwards every accepted request, after it is written to the files, to an OTLP/HTTP endpoint
   * such as a Collector or another receiver, exactly as {@link
   * OtlpFileExporterBuilder#setForwardEndpoint} does for an exported batch: the base URL gets
   * {@code /v1/traces}, {@code /v1/metrics} or {@code /v1/logs} appended, and needs {@code
   * io.opentelemetry:opentelemetry-exporter-otlp} on the class path. Each signal has its own
   * exporter, circuit breaker and in-flight limit; forwarding never delays or fails the answer to
   * the sender. Cannot be combined with {@code setForward*To} for the same signal. If unset,
   * nothing is forwarded.
   */
  public OtlpFileReceiverBuilder setForwardEndpoint(String url) {
    forward.setEndpoint(requireNonNull(url, "forwardEndpoint"));
    return this;
  }

  /** See {@link OtlpFileExporterBuilder#setForwardHeaders}. */
  public OtlpFileReceiverBuilder setForwardHeaders(Map<String, String> headers) {
    forward.setHeaders(requireNonNull(headers, "forwardHeaders"));
    return this;
  }

  /** See {@link OtlpFileExporterBuilder#setForwardTimeout}. */
  public OtlpFileReceiverBuilder setForwardTimeout(Duration timeout) {
    forward.setTimeout(requireNonNull(timeout, "forwardTimeout"));
    return this;
  }

  /**
   * Sets how many requests of each signal may be forwarding at the same time; a request written
   * while all are busy is not forwarded and is counted as skipped. See {@link
   * OtlpFileExporterBuilder#setForwardMaxInFlight}.
   */
  public OtlpFileReceiverBuilder setForwardMaxInFlight(int requests) {
    forward.setMaxInFlight(requests);
    return this;
  }

  /**
   * Sets the circuit breaker in front of each signal's forwarding target. See {@link
   * OtlpFileExporterBuilder#setCircuitBreaker}.
   */
  public OtlpFileReceiverBuilder setCircuitBreaker(CircuitBreakerConfig circuitBreaker) {
    forward.setCircuitBreaker(requireNonNull(circuitBreaker, "circuitBreaker"));
    return this;
  }

  /**
   * Sets whether what forwarding missed is sent later from the files. See {@link
   * OtlpFileExporterBuilder#setForwardCatchUp}; on by default when forwarding.
   */
  public OtlpFileReceiverBuilder setForwardCatchUp(boolean catchUp) {
    forward.setCatchUp(catchUp);
    return this;
  }

  /**
   * Sets the most items a second catch-up sends, per signal. See {@link
   * OtlpFileExporterBuilder#setForwardCatchUpRate}.
   */
  public OtlpFileReceiverBuilder setForwardCatchUpRate(long itemsPerSecond) {
    forward.setCatchUpRate(itemsPerSecond);
    return this;
  }

  /**
   * Forwards every accepted trace request, after it is written, to {@code exporter} (for example an
   * {@code OtlpGrpcSpanExporter}), as {@link
   * io.github.otlpfile.OtlpFileSpanExporterBuilder#setForwardTo} does. Its {@code shutdown()} is
   * called from the receiver's. If unset, traces are forwarded only with {@link
   * #setForwardEndpoint}.
   */
  public OtlpFileReceiverBuilder setForwardSpansTo(SpanExporter exporter) {
    this.forwardSpansTo = requireNonNull(exporter, "forwardSpansTo");
    return this;
  }

  /** Like {@link #setForwardSpansTo}, for metric requests. */
  public OtlpFileReceiverBuilder setForwardMetricsTo(MetricExporter exporter) {
    this.forwardMetricsTo = requireNonNull(exporter, "forwardMetricsTo");
    return this;
  }

  /** Like {@link #setForwardSpansTo}, for log requests. */
  public OtlpFileReceiverBuilder setForwardLogsTo(LogRecordExporter exporter) {
    this.forwardLogsTo = requireNonNull(exporter, "forwardLogsTo");
    return this;
  }

  /**
   * Sets the OTLP/HTTP port; 0 takes any free port ({@link OtlpFileReceiver#getHttpEndpoint()}
   * tells which). If unset, defaults to {@link #DEFAULT_HTTP_PORT}.
   */
  public OtlpFileReceiverBuilder setHttpPort(int port) {
    this.httpPort = port;
    return this;
  }

  /**
   * Sets the OTLP/gRPC port; 0 takes any free port, -1 turns gRPC off. gRPC needs {@code
   * io.grpc:grpc-netty-shaded}, {@code grpc-protobuf} and {@code grpc-stub} on the class path. If
   * unset, defaults to {@link #DEFAULT_GRPC_PORT}.
   */
  public OtlpFileReceiverBuilder setGrpcPort(int port) {
    this.grpcPort = port;
    return this;
  }

  /**
   * Sets the address both servers listen on, for example {@code 0.0.0.0} to accept requests from
   * other machines. If unset, defaults to {@link #DEFAULT_BIND_ADDRESS}.
   */
  public OtlpFileReceiverBuilder setBindAddress(String address) {
    this.bindAddress = requireNonNull(address, "bindAddress");
    return this;
  }

  /**
   * Sets the largest request body accepted, counted after decompression; larger ones get HTTP 413
   * (gRPC {@code RESOURCE_EXHAUSTED}) and are never inflated past the limit. If unset, defaults to
   * {@link #DEFAULT_MAX_REQUEST_BYTES}.
   */
  public OtlpFileReceiverBuilder setMaxRequestBytes(long bytes) {
    this.maxRequestBytes = bytes;
    return this;
  }

  /**
   * Sets how long an HTTP request body may take to arrive once its headers are in; a slower one has
   * its connection closed. If unset, defaults to {@link #DEFAULT_READ_TIMEOUT}.
   */
  public OtlpFileReceiverBuilder setReadTimeout(Duration readTimeout) {
    this.readTimeout = requireNonNull(readTimeout, "readTimeout");
    return this;
  }

  /**
   * Sets how many requests each protocol handles at the same time (its thread count); further
   * requests wait for a thread. If unset, defaults to {@link #DEFAULT_MAX_CONCURRENT_REQUESTS}.
   */
  public OtlpFileReceiverBuilder setMaxConcurrentRequests(int requests) {
    this.maxConcurrentRequests = requests;
    return this;
  }

  /**
   * Requires every request to carry the header {@code name} with exactly {@code value}, for example
   * {@code setRequiredHeader("Authorization", "Bearer " + token)}; senders set it with their OTLP
   * exporter's {@code addHeader(name, value)} (or {@code OTEL_EXPORTER_OTLP_HEADERS}). A request
   * without it, or with another value, is answered HTTP 401 (gRPC {@code UNAUTHENTICATED}). The
   * value is compared in constant time and never logged or shown by {@code toString()}. The name is
   * matched without regard to case. If unset, no header is required.
   */
  public OtlpFileReceiverBuilder setRequiredHeader(String name, String value) {
    this.requiredHeaderName = requireNonNull(name, "name");
    this.requiredHeaderValue = requireNonNull(value, "value");
    return this;
  }

  /**
   * Serves HTTPS and gRPC over TLS with the certificate chain (PEM, the server's certificate first)
   * and its private key (PEM, unencrypted PKCS#8: {@code -----BEGIN PRIVATE KEY-----}); the
   * endpoints then start with {@code https://}. The files are read and checked at {@link #build()}
   * (the key must belong to the first certificate). Replaces an earlier {@code setTls}. If unset,
   * both servers speak plain text.
   */
  public OtlpFileReceiverBuilder setTls(Path certificateChain, Path privateKey) {
    this.tlsCertificateChain = requireNonNull(certificateChain, "certificateChain");
    this.tlsPrivateKey = requireNonNull(privateKey, "privateKey");
    this.tlsKeyStore = null;
    this.tlsKeyStorePassword = null;
    return this;
  }

  /**
   * Serves HTTPS and gRPC over TLS with the one private key entry of {@code keyStore} (loaded, for
   * example a PKCS#12 file) and its certificate chain; {@code password} opens the key. The password
   * is copied and never shown. Replaces an earlier {@code setTls}.
   */
  public OtlpFileReceiverBuilder setTls(KeyStore keyStore, char[] password) {
    this.tlsKeyStore = requireNonNull(keyStore, "keyStore");
    this.tlsKeyStorePassword = requireNonNull(password, "password").clone();
    this.tlsCertificateChain = null;
    this.tlsPrivateKey = null;
    return this;
  }

  /**
   * Allows browser pages from these origins to send OTLP/HTTP: each an exact origin such as {@code
   * https://app.example.com} or {@code http://localhost:3000}, or {@code *} for any. A preflight
   * {@code OPTIONS} from an allowed origin is answered 204 with {@code Access-Control-Allow-*}
   * headers, and every answer to it carries {@code Access-Control-Allow-Origin}; other origins get
   * no CORS headers. Replaces earlier origins; none turns CORS off. If unset, CORS is off.
   */
  public OtlpFileReceiverBuilder setCorsAllowedOrigins(String... origins) {
    requireNonNull(origins, "origins");
    List<String> copy = new ArrayList<>();
    for (String origin : origins) {
      copy.add(requireNonNull(origin, "origin"));
    }
    this.corsAllowedOrigins = copy;
    return this;
  }

  /**
   * Builds the receiver and creates its signal folders; {@link OtlpFileReceiver#start()} opens the
   * ports.
   *
   * @throws IllegalArgumentException if a setting is invalid, the folders cannot be written, or a
   *     library a setting needs is missing
   */
  public OtlpFileReceiver build() {
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("httpPort must be in [0, 65535], but was " + httpPort);
    }
    if (grpcPort < -1 || grpcPort > 65535) {
      throw new IllegalArgumentException(
          "grpcPort must be in [0, 65535] or -1 (off), but was " + grpcPort);
    }
    if (maxRequestBytes <= 0 || maxRequestBytes > MAX_ARRAY_BYTES) {
      throw new IllegalArgumentException(
          "maxRequestBytes must be in [1, " + MAX_ARRAY_BYTES + "], but was " + maxRequestBytes);
    }
    if (readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("readTimeout must be positive, but was " + readTimeout);
    }
    if (maxConcurrentRequests <= 0) {
      throw new IllegalArgumentException(
          "maxConcurrentRequests must be > 0, but was " + maxConcurrentRequests);
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(bindAddress);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "bindAddress " + bindAddress + " is not an address of this machine: " + e, e);
    }
    requireClass(
        "io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest",
        "the receiver needs com.google.protobuf:protobuf-java and"
            + " io.opentelemetry.proto:opentelemetry-proto on the class path");
    if (grpcPort != -1) {
      requireClass(
          "io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder",
          "grpcPort is "
              + grpcPort
              + " but gRPC needs io.grpc:grpc-netty-shaded, grpc-protobuf and grpc-stub on the"
              + " class path; add them or setGrpcPort(-1)");
    }
    RequiredHeader requiredHeader = null;
    if (requiredHeaderName != null) {
      RequiredHeader.validate(requiredHeaderName, requiredHeaderValue);
      requiredHeader = new RequiredHeader(requiredHeaderName, requiredHeaderValue);
    }
    Set<String> corsOrigins = new LinkedHashSet<>();
    for (String origin : corsAllowedOrigins) {
      if (!origin.equals("*") && !ORIGIN.matcher(origin).matches()) {
        throw new IllegalArgumentException(
            "corsAllowedOrigins must be * or scheme://host[:port] without a path, but was "
                + origin);
      }
      corsOrigins.add(origin);
    }
    TlsSettings tls = null;
    if (tlsCertificateChain != null) {
      tls = TlsSettings.fromPem(tlsCertificateChain, tlsPrivateKey);
    } else if (tlsKeyStore != null) {
      tls = TlsSettings.fromKeyStore(tlsKeyStore, tlsKeyStorePassword);
    }
    files.validate();
    // Received data is mapped afresh for each request and never reused: no copy is needed.
    MeterProvider meterProvider = files.getMeterProvider();
    ForwardSettings<SpanData> forwardSpans =
        forward.build(
            Signal.TRACES,
            forwardSpansTo == null ? null : ForwardDelegate.ofSpans(forwardSpansTo),
            (url, headers, timeout, meters) ->
                OtlpHttpForwarding.spans(url, headers, timeout, meters),
            items -> items,
            meterProvider);
    ForwardSettings<MetricData> forwardMetrics =
        forward.build(
            Signal.METRICS,
            forwardMetricsTo == null ? null : ForwardDelegate.ofMetrics(forwardMetricsTo),
            (url, headers, timeout, meters) ->
                OtlpHttpForwarding.metrics(url, headers, timeout, meters),
            items -> items,
            meterProvider);
    ForwardSettings<LogRecordData> forwardLogs =
        forward.build(
            Signal.LOGS,
            forwardLogsTo == null ? null : ForwardDelegate.ofLogs(forwardLogsTo),
            (url, headers, timeout, meters) ->
                OtlpHttpForwarding.logs(url, headers, timeout, meters),
            items -> items,
            meterProvider);
    return new OtlpFileReceiver(
        files,
        address,
        httpPort,
        grpcPort,
        maxRequestBytes,
        readTimeout.toMillis(),
        maxConcurrentRequests,
        requiredHeader,
        tls,
        Collections.unmodifiableSet(corsOrigins),
        forwardSpans,
        forwardMetrics,
        forwardLogs);
  }

  private static void requireClass(String name, String message) {
    try {
      Class.forName(name, false, OtlpFileReceiverBuilder.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException(message, e);
    }
  }
}
