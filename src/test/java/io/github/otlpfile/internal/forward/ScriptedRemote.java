package io.github.otlpfile.internal.forward;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A remote span endpoint for forwarding tests: records the span names of every export it gets, in
 * order, and answers each from a script; once the script is used up, it succeeds.
 *
 * <p>Thread-safe.
 */
final class ScriptedRemote {
  /** How the remote answers one export. */
  enum Answer {
    SUCCEED,
    FAIL,
    THROW,
    RETURN_NULL,
    /** HTTP 400: refused for good. */
    REJECT,
    /** HTTP 503: worth trying again. */
    UNAVAILABLE,
    /** A result the test completes, or never. */
    PENDING
  }

  final List<List<String>> received = new CopyOnWriteArrayList<>();
  final List<Long> callNanos = new CopyOnWriteArrayList<>();
  final Queue<Answer> script = new ConcurrentLinkedQueue<>();
  private final Map<String, Answer> firstTime = new ConcurrentHashMap<>();
  final List<CompletableResultCode> pending = new CopyOnWriteArrayList<>();
  final AtomicInteger shutdowns = new AtomicInteger();
  volatile Runnable onExport = () -> {};
  volatile Runnable onShutdown = () -> {};

  void answer(Answer... answers) {
    Collections.addAll(script, answers);
  }

  /**
   * Answers the first export of the batch whose first span is named {@code firstSpan} so, whatever
   * the order of the calls; before the script.
   */
  void answerFirst(String firstSpan, Answer answer) {
    firstTime.put(firstSpan, answer);
  }

  ForwardDelegate<SpanData> delegate() {
    return ForwardDelegate.create(
        "remote",
        items -> {
          callNanos.add(System.nanoTime());
          List<String> names = items.stream().map(SpanData::getName).collect(Collectors.toList());
          received.add(names);
          onExport.run();
          Answer answer = names.isEmpty() ? null : firstTime.remove(names.get(0));
          if (answer == null) {
            answer = script.poll();
          }
          switch (answer == null ? Answer.SUCCEED : answer) {
            case FAIL:
              return CompletableResultCode.ofFailure();
            case THROW:
              throw new IllegalStateException("remote broke");
            case RETURN_NULL:
              return null;
            case REJECT:
              return CompletableResultCode.ofExceptionalFailure(new HttpFailure(400));
            case UNAVAILABLE:
              return CompletableResultCode.ofExceptionalFailure(new HttpFailure(503));
            case PENDING:
              CompletableResultCode result = new CompletableResultCode();
              pending.add(result);
              return result;
            default:
              return CompletableResultCode.ofSuccess();
          }
        },
        CompletableResultCode::ofSuccess,
        () -> {
          onShutdown.run();
          shutdowns.incrementAndGet();
          return CompletableResultCode.ofSuccess();
        });
  }

  void completeAll(boolean success) {
    for (CompletableResultCode result : pending) {
      if (success) {
        result.succeed();
      } else {
        result.fail();
      }
    }
  }

  /** Every span name received, in order. */
  List<String> flat() {
    List<String> all = new ArrayList<>();
    received.forEach(all::addAll);
    return all;
  }

  /** Shaped like the OTLP exporters' failure: {@code getResponse().getStatusCode()}. */
  static final class HttpFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final int code;

    HttpFailure(int code) {
      super("HTTP " + code);
      this.code = code;
    }

    public Response getResponse() {
      return () -> code;
    }
  }

  /** The response of an {@link HttpFailure}. */
  public interface Response {
    int getStatusCode();
  }
}
