package io.github.otlpfile.read;

import com.google.protobuf.ByteString;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Span contexts from the ids, flags and trace states of {@code opentelemetry-proto} messages, for
 * one conversion of {@link ProtoToSdk}. Encoding and validating ids is a good part of the cost of a
 * span, so contexts are made once per span id (a span's parent is mostly another span of the same
 * request, and the log records of one span share its context), and the last trace id and trace
 * state are remembered (spans of one trace come together, and most share one trace state).
 *
 * <p>An instance is confined to the thread of its conversion; {@link #parseTraceState} is
 * thread-safe.
 */
final class SpanContexts {
  private static final int TRACE_FLAGS_MASK = 0xFF;
  private static final int TRACE_ID_BYTES = 16;
  private static final int SPAN_ID_BYTES = 8;
  private static final int MAX_TRACE_STATE_MEMBERS = 32;

  // Two lowercase hex digits per byte value, so that an id is encoded one lookup per byte.
  private static final byte[] HEX_PAIRS = new byte[512];

  static {
    byte[] digits = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    for (int b = 0; b < 256; b++) {
      HEX_PAIRS[2 * b] = digits[b >>> 4];
      HEX_PAIRS[2 * b + 1] = digits[b & 0xF];
    }
  }

  private final Map<ByteString, SpanContext> contexts;
  private ByteString lastTraceId = ByteString.EMPTY;
  private String lastTraceIdHex = "";
  private String lastTraceStateHeader = "";
  private TraceState lastTraceState = TraceState.getDefault();
  private final byte[] idBytes = new byte[TRACE_ID_BYTES];
  private final byte[] idChars = new byte[2 * TRACE_ID_BYTES];

  /** For about {@code expected} distinct span ids. */
  SpanContexts(int expected) {
    contexts = new HashMap<>(Math.max(16, expected * 4 / 3 + 1));
  }

  /**
   * The context of these ids, flags (the low 8 bits are the trace flags) and trace state; {@link
   * SpanContext#getInvalid()} for ids of the wrong length or all zero.
   */
  SpanContext get(
      ByteString traceId, ByteString spanId, int flags, String traceState, boolean remote) {
    if (traceId.size() != TRACE_ID_BYTES || spanId.size() != SPAN_ID_BYTES) {
      return SpanContext.getInvalid();
    }
    String traceIdHex = traceIdHex(traceId);
    TraceFlags traceFlags = TraceFlags.fromByte((byte) (flags & TRACE_FLAGS_MASK));
    TraceState state = traceState(traceState);
    SpanContext cached = contexts.get(spanId);
    if (cached != null
        && cached.isRemote() == remote
        && cached.getTraceFlags().asByte() == traceFlags.asByte()
        && cached.getTraceId().equals(traceIdHex)
        && cached.getTraceState().equals(state)) {
      return cached;
    }
    String spanIdHex = hex(spanId);
    SpanContext context =
        remote
            ? SpanContext.createFromRemoteParent(traceIdHex, spanIdHex, traceFlags, state)
            : SpanContext.create(traceIdHex, spanIdHex, traceFlags, state);
    if (!context.isValid()) {
      // All-zero ids: SpanContext.create keeps the flags with invalid ids; the SDK itself only
      // ever has the one invalid context.
      return SpanContext.getInvalid();
    }
    contexts.put(spanId, context);
    return context;
  }

  /**
   * The context of an exemplar, which has ids only: sampled (the SDK samples exemplars from sampled
   * spans), with the default trace state, not remote.
   */
  SpanContext sampled(ByteString traceId, ByteString spanId) {
    return get(traceId, spanId, TraceFlags.getSampled().asByte(), "", false);
  }

  private String traceIdHex(ByteString traceId) {
    if (!traceId.equals(lastTraceId)) {
      lastTraceIdHex = hex(traceId);
      lastTraceId = traceId;
    }
    return lastTraceIdHex;
  }

  private String hex(ByteString bytes) {
    // Ids are copied out in one go and encoded into a reused buffer: ByteString.byteAt per byte
    // and a fresh array per id cost more than the encoding.
    int n = bytes.size();
    byte[] in = idBytes;
    byte[] out = idChars;
    bytes.copyTo(in, 0);
    for (int i = 0; i < n; i++) {
      int pair = (in[i] & 0xFF) << 1;
      out[2 * i] = HEX_PAIRS[pair];
      out[2 * i + 1] = HEX_PAIRS[pair + 1];
    }
    return new String(out, 0, 2 * n, StandardCharsets.ISO_8859_1);
  }

  private TraceState traceState(String header) {
    if (header.isEmpty()) {
      return TraceState.getDefault();
    }
    if (!header.equals(lastTraceStateHeader)) {
      lastTraceState = parseTraceState(header);
      lastTraceStateHeader = header;
    }
    return lastTraceState;
  }

  /**
   * Parses a W3C {@code tracestate} ({@code key=value,key2=value2}, optional spaces and tabs around
   * members, empty members allowed); anything invalid gives the default, as {@code
   * W3CTraceContextPropagator} does.
   */
  static TraceState parseTraceState(String header) {
    // The builder puts each entry in front, so members are added from the last one.
    TraceStateBuilder builder = TraceState.builder();
    int members = 0;
    int end = header.length();
    while (end >= 0) {
      int comma = end == 0 ? -1 : header.lastIndexOf(',', end - 1);
      int start = comma + 1;
      while (start < end && isOws(header.charAt(start))) {
        start++;
      }
      int stop = end;
      while (stop > start && isOws(header.charAt(stop - 1))) {
        stop--;
      }
      if (start < stop) {
        int equals = header.indexOf('=', start);
        if (equals < 0 || equals >= stop || ++members > MAX_TRACE_STATE_MEMBERS) {
          return TraceState.getDefault();
        }
        builder.put(header.substring(start, equals), header.substring(equals + 1, stop));
      }
      end = comma;
    }
    TraceState state = builder.build();
    // The builder skips invalid keys and values and merges duplicate keys; W3C then says to
    // discard the whole header.
    return state.size() == members ? state : TraceState.getDefault();
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }
}
