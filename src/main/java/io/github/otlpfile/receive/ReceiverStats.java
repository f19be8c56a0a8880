package io.github.otlpfile.receive;

import io.github.otlpfile.ExporterStats;
import io.github.otlpfile.read.OtlpSignal;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of a receiver's counters, taken by {@link OtlpFileReceiver#getStats()}. Items are
 * spans, metric data points or log records.
 *
 * <p>Every request is either accepted (its items are then in the files, or counted as failed in
 * {@link #getFileStats}) or refused with one {@link Refusal}. Immutable.
 */
public final class ReceiverStats {
  /** Why a request was refused; each answers with its own status (see {@code docs/RECEIVER.md}). */
  public enum Refusal {
    /**
     * HTTP 401, gRPC {@code UNAUTHENTICATED}: the required header (see {@link
     * OtlpFileReceiverBuilder#setRequiredHeader}) was missing or wrong.
     */
    UNAUTHENTICATED,
    /** HTTP 404: a path other than {@code /v1/traces}, {@code /v1/metrics}, {@code /v1/logs}. */
    NOT_FOUND,
    /** HTTP 405: a method other than {@code POST}. */
    METHOD_NOT_ALLOWED,
    /** HTTP 415: a content type other than {@code application/x-protobuf} or JSON. */
    UNSUPPORTED_MEDIA_TYPE,
    /** HTTP 413, gRPC {@code RESOURCE_EXHAUSTED}: larger than the request size limit. */
    TOO_LARGE,
    /** HTTP 400, gRPC {@code INVALID_ARGUMENT}: the body is not a valid OTLP request. */
    MALFORMED,
    /** HTTP 503, gRPC {@code UNAVAILABLE}: the buffer was full; the sender should retry. */
    BUFFER_FULL,
    /** HTTP 503, gRPC {@code UNAVAILABLE}: the write to the file failed or took too long. */
    WRITE_FAILED,
    /** HTTP 503, gRPC {@code UNAVAILABLE}: the receiver is shutting down. */
    SHUT_DOWN,
    /** HTTP only: the body did not arrive within the read timeout; the connection was closed. */
    READ_TIMEOUT
  }

  private final long requests;
  private final long bytesReceived;
  private final Map<OtlpSignal, Long> acceptedRequests;
  private final Map<OtlpSignal, Long> acceptedItems;
  private final Map<Refusal, Long> refused;
  private final Map<OtlpSignal, ExporterStats> fileStats;

  ReceiverStats(
      long requests,
      long bytesReceived,
      EnumMap<OtlpSignal, Long> acceptedRequests,
      EnumMap<OtlpSignal, Long> acceptedItems,
      EnumMap<Refusal, Long> refused,
      EnumMap<OtlpSignal, ExporterStats> fileStats) {
    this.requests = requests;
    this.bytesReceived = bytesReceived;
    this.acceptedRequests = Collections.unmodifiableMap(acceptedRequests);
    this.acceptedItems = Collections.unmodifiableMap(acceptedItems);
    this.refused = Collections.unmodifiableMap(refused);
    this.fileStats = Collections.unmodifiableMap(fileStats);
  }

  /** Requests received over HTTP and gRPC, accepted or refused. */
  public long getRequests() {
    return requests;
  }

  /** Bytes of request bodies read, after decompression. */
  public long getBytesReceived() {
    return bytesReceived;
  }

  /** Requests of {@code signal} whose items were written to the files. */
  public long getAcceptedRequests(OtlpSignal signal) {
    return acceptedRequests.get(signal);
  }

  /** Items of {@code signal} in accepted requests, counted exactly. */
  public long getAcceptedItems(OtlpSignal signal) {
    return acceptedItems.get(signal);
  }

  /** Requests refused for {@code reason}. */
  public long getRefusedRequests(Refusal reason) {
    return refused.get(reason);
  }

  /** Requests refused for any reason. */
  public long getRefusedRequests() {
    long sum = 0;
    for (long n : refused.values()) {
      sum += n;
    }
    return sum;
  }

  /**
   * The counters of the files of {@code signal}, as an exporter reports them: items written,
   * dropped or failed, bytes written, files created and deleted.
   */
  public ExporterStats getFileStats(OtlpSignal signal) {
    return fileStats.get(signal);
  }

  @Override
  public String toString() {
    return "ReceiverStats{requests="
        + requests
        + ", bytesReceived="
        + bytesReceived
        + ", acceptedRequests="
        + acceptedRequests
        + ", acceptedItems="
        + acceptedItems
        + ", refused="
        + refused
        + '}';
  }
}
