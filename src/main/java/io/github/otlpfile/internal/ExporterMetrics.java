package io.github.otlpfile.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.metrics.ObservableDoubleGauge;
import io.opentelemetry.api.metrics.ObservableLongCounter;
import io.opentelemetry.api.metrics.ObservableLongUpDownCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Publishes an exporter's counters as OpenTelemetry metrics: asynchronous counters read from the
 * same adders as {@code getStats()}, so publishing adds nothing to the export path.
 *
 * <p>Thread-safe.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ExporterMetrics implements AutoCloseable {
  static final String INSTRUMENTATION_SCOPE = "io.github.otlpfile";
  static final AttributeKey<String> SIGNAL = AttributeKey.stringKey("otlp_file.signal");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("otlp_file.outcome");
  static final AttributeKey<String> ACTION = AttributeKey.stringKey("otlp_file.action");
  static final AttributeKey<String> CIRCUIT_STATE =
      AttributeKey.stringKey("otlp_file.circuit.state");

  private final List<ObservableLongCounter> instruments = new ArrayList<>();
  private final List<ObservableLongUpDownCounter> gauges = new ArrayList<>();
  private final List<ObservableDoubleGauge> ages = new ArrayList<>();

  public ExporterMetrics(MeterProvider meterProvider, Signal signal, ExporterCounters counters) {
    Meter meter = meterProvider.get(INSTRUMENTATION_SCOPE);
    String name = signal.getDirectoryName();
    Attributes base = Attributes.of(SIGNAL, name);
    instruments.add(
        meter
            .counterBuilder("otlp_file.exporter.items")
            .setDescription("Items handed to the exporter, by outcome")
            .setUnit("{item}")
            .buildWithCallback(
                m -> {
                  record(m, counters.exportedItems, base, OUTCOME, "exported");
                  record(m, counters.droppedItems, base, OUTCOME, "dropped");
                  record(m, counters.failedItems, base, OUTCOME, "failed");
                  record(m, counters.forwardedItems, base, OUTCOME, "forwarded");
                  record(m, counters.forwardFailedItems, base, OUTCOME, "forward_failed");
                  record(m, counters.forwardSkippedItems, base, OUTCOME, "forward_skipped");
                  if (counters.isCatchingUp()) {
                    record(m, counters.forwardCaughtUpItems, base, OUTCOME, "forward_caught_up");
                    record(m, counters.forwardRejectedItems, base, OUTCOME, "forward_rejected");
                    record(m, counters.forwardExpiredItems, base, OUTCOME, "forward_expired");
                    record(m, counters.forwardFoundItems, base, OUTCOME, "forward_found");
                  }
                }));
    gauges.add(
        meter
            .upDownCounterBuilder("otlp_file.forward.backlog.items")
            .setDescription(
                "Items not yet delivered that catch-up will send from the files;"
                    + " reported only when the exporter catches up")
            .setUnit("{item}")
            .buildWithCallback(
                m -> {
                  if (counters.isCatchingUp()) {
                    m.record(counters.backlogItems(), base);
                  }
                }));
    gauges.add(
        meter
            .upDownCounterBuilder("otlp_file.forward.backlog.bytes")
            .setDescription("Bytes of this exporter's records not yet delivered")
            .setUnit("By")
            .buildWithCallback(
                m -> {
                  if (counters.isCatchingUp()) {
                    m.record(counters.backlogBytes(), base);
                  }
                }));
    ages.add(
        meter
            .gaugeBuilder("otlp_file.forward.backlog.age")
            .setDescription("How long ago the oldest record of the backlog was written")
            .setUnit("s")
            .buildWithCallback(
                m -> {
                  if (counters.isCatchingUp()) {
                    m.record(counters.backlogAgeMillis() / 1000.0, base);
                  }
                }));
    instruments.add(
        meter
            .counterBuilder("otlp_file.exporter.bytes")
            .setDescription("Bytes written to files")
            .setUnit("By")
            .buildWithCallback(m -> m.record(counters.bytesWritten.sum(), base)));
    instruments.add(
        meter
            .counterBuilder("otlp_file.exporter.files")
            .setDescription("Files created, deleted by retention, compressed, failed to compress")
            .setUnit("{file}")
            .buildWithCallback(
                m -> {
                  record(m, counters.filesCreated, base, ACTION, "created");
                  record(m, counters.filesDeleted, base, ACTION, "deleted");
                  record(m, counters.filesCompressed, base, ACTION, "compressed");
                  record(m, counters.compressionFailures, base, ACTION, "compression_failed");
                }));
    instruments.add(
        meter
            .counterBuilder("otlp_file.forward.circuit.transitions")
            .setDescription(
                "Transitions of the forwarding circuit breaker, by the state entered;"
                    + " reported only when the exporter forwards")
            .setUnit("{transition}")
            .buildWithCallback(
                m -> {
                  if (counters.isForwarding()) {
                    record(m, counters.circuitOpened, base, CIRCUIT_STATE, "open");
                    record(m, counters.circuitHalfOpened, base, CIRCUIT_STATE, "half_open");
                    record(m, counters.circuitClosed, base, CIRCUIT_STATE, "closed");
                  }
                }));
  }

  private static void record(
      io.opentelemetry.api.metrics.ObservableLongMeasurement measurement,
      LongAdder adder,
      Attributes base,
      AttributeKey<String> key,
      String value) {
    measurement.record(adder.sum(), base.toBuilder().put(key, value).build());
  }

  @Override
  public void close() {
    for (ObservableLongCounter instrument : instruments) {
      instrument.close();
    }
    for (ObservableLongUpDownCounter gauge : gauges) {
      gauge.close();
    }
    for (ObservableDoubleGauge age : ages) {
      age.close();
    }
  }
}
