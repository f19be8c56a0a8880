package io.github.otlpfile.receive;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.github.otlpfile.internal.ExporterCore;
import io.github.otlpfile.internal.buffer.Lane;
import io.github.otlpfile.internal.read.ReadAccess;
import io.github.otlpfile.read.OtlpSignal;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Takes the requests of one signal, from HTTP or gRPC, into that signal's {@link ExporterCore}: the
 * same lane, writer, rotation and retention as an exporter. A binary request for {@code PROTOBUF}
 * files is written as it came, after parsing it to validate it; anything else is mapped to SDK data
 * and encoded by the OpenTelemetry marshalers. Each request is one record. Waits until the record
 * is written, so that an accepted request is in the file. When the core forwards, the request is
 * forwarded after its write as an exported batch is; a request written as it came is then mapped to
 * SDK data for the forwarder, and only then.
 *
 * <p>Thread-safe.
 */
final class SignalIntake<T> {
  /** The answer to one request: accepted, or refused for a reason with a one-line detail. */
  static final class Outcome {
    static final Outcome ACCEPTED = new Outcome(null, "");

    final ReceiverStats.Refusal refusal; // null when accepted
    final String detail;

    Outcome(ReceiverStats.Refusal refusal, String detail) {
      this.refusal = refusal;
      this.detail = detail;
    }
  }

  private final OtlpSignal signal;
  private final ExporterCore<T> core;
  private final Parser<? extends Message> parser;
  private final Function<Message, List<T>> toSdk;
  private final ToIntFunction<Collection<T>> itemCounter;
  private final boolean binaryFiles;
  private final ReceiverCounters counters;
  private final long writeTimeoutMillis;

  SignalIntake(
      OtlpSignal signal,
      ExporterCore<T> core,
      Parser<? extends Message> parser,
      Function<Message, List<T>> toSdk,
      ToIntFunction<Collection<T>> itemCounter,
      boolean binaryFiles,
      ReceiverCounters counters,
      long writeTimeoutMillis) {
    this.signal = signal;
    this.core = core;
    this.parser = parser;
    this.toSdk = toSdk;
    this.itemCounter = itemCounter;
    this.binaryFiles = binaryFiles;
    this.counters = counters;
    this.writeTimeoutMillis = writeTimeoutMillis;
  }

  OtlpSignal getSignal() {
    return signal;
  }

  ExporterCore<T> getCore() {
    return core;
  }

  /** A binary {@code Export*ServiceRequest} in {@code body[0, length)}. */
  Outcome acceptBinary(byte[] body, int length) {
    Message request;
    try {
      request = parser.parseFrom(body, 0, length);
    } catch (InvalidProtocolBufferException e) {
      return refuse(ReceiverStats.Refusal.MALFORMED, "the body is not a protobuf request: " + e);
    }
    if (!binaryFiles) {
      return acceptMessage(request);
    }
    int items = ReadAccess.get().itemCount(request);
    if (items == 0) {
      return accepted(0); // as an export of an empty batch: nothing to write
    }
    return await(core.exportEncoded(body, 0, length, items, forwardItems(request)), items);
  }

  /**
   * The SDK data a forwarding core asks for, mapped only then; {@code null} when the core does not
   * forward, so that a request written as it came is never mapped for nothing.
   */
  private Supplier<List<T>> forwardItems(Message request) {
    return core.isForwarding() ? () -> toSdk.apply(request) : null;
  }

  /** An OTLP/JSON request in {@code body[0, length)}. */
  Outcome acceptJson(byte[] body, int length) {
    Message request;
    try {
      request = ReadAccess.get().decodeJson(body, 0, length, signal);
    } catch (ReadAccess.MalformedRequestException e) {
      return refuse(ReceiverStats.Refusal.MALFORMED, "the body is not an OTLP/JSON request " + e);
    }
    return acceptMessage(request);
  }

  /** A request already parsed (gRPC, or JSON): mapped to SDK data and encoded by the marshalers. */
  Outcome acceptMessage(Message request) {
    if (binaryFiles) {
      byte[] bytes = request.toByteArray();
      int items = ReadAccess.get().itemCount(request);
      return items == 0
          ? accepted(0)
          : await(core.exportEncoded(bytes, 0, bytes.length, items, forwardItems(request)), items);
    }
    List<T> items = toSdk.apply(request);
    int count = itemCounter.applyAsInt(items);
    if (items.isEmpty()) {
      return accepted(0);
    }
    return await(core.submit(items), count);
  }

  private Outcome await(CompletableResultCode result, int items) {
    result.join(writeTimeoutMillis, TimeUnit.MILLISECONDS);
    if (result.isSuccess()) {
      return accepted(items);
    }
    if (!result.isDone()) {
      return refuse(
          ReceiverStats.Refusal.WRITE_FAILED,
          "the write did not finish within " + writeTimeoutMillis + " ms");
    }
    Throwable failure = result.getFailureThrowable();
    if (failure instanceof ExporterCore.RefusedException) {
      Lane.Offer offer = ((ExporterCore.RefusedException) failure).getOffer();
      switch (offer) {
        case TOO_LARGE:
          return refuse(
              ReceiverStats.Refusal.TOO_LARGE, "the request is larger than the whole buffer");
        case CLOSED:
          return refuse(ReceiverStats.Refusal.SHUT_DOWN, "the receiver is shutting down");
        default:
          return refuse(ReceiverStats.Refusal.BUFFER_FULL, "the buffer is full; retry later");
      }
    }
    return refuse(ReceiverStats.Refusal.WRITE_FAILED, "the write to the file failed");
  }

  private Outcome accepted(int items) {
    counters.accepted(signal, items);
    return Outcome.ACCEPTED;
  }

  Outcome refuse(ReceiverStats.Refusal reason, String detail) {
    counters.refused(reason);
    return new Outcome(reason, detail);
  }
}
