package io.github.otlpfile.testing;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.concurrent.atomic.AtomicLong;

/** Counts ended spans and emitted log records, so that a flush knows whether any are new. */
final class EndCounter implements SpanProcessor, LogRecordProcessor {
  private final AtomicLong ended;

  EndCounter(AtomicLong ended) {
    this.ended = ended;
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return false;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    ended.incrementAndGet();
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  @Override
  public void onEmit(Context context, ReadWriteLogRecord logRecord) {
    ended.incrementAndGet();
  }

  @Override
  public io.opentelemetry.sdk.common.CompletableResultCode shutdown() {
    return io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess();
  }

  @Override
  public io.opentelemetry.sdk.common.CompletableResultCode forceFlush() {
    return io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess();
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "EndCounter{" + ended.get() + "}";
  }
}
