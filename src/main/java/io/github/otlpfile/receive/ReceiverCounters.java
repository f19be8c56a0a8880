package io.github.otlpfile.receive;

import io.github.otlpfile.ExporterStats;
import io.github.otlpfile.read.OtlpSignal;
import java.util.EnumMap;
import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link ReceiverStats}. Thread-safe: adders, no lock. */
final class ReceiverCounters {
  final LongAdder requests = new LongAdder();
  final LongAdder bytesReceived = new LongAdder();
  private final EnumMap<OtlpSignal, LongAdder> acceptedRequests = adders(OtlpSignal.class);
  private final EnumMap<OtlpSignal, LongAdder> acceptedItems = adders(OtlpSignal.class);
  private final EnumMap<ReceiverStats.Refusal, LongAdder> refused =
      adders(ReceiverStats.Refusal.class);

  private static <K extends Enum<K>> EnumMap<K, LongAdder> adders(Class<K> keys) {
    EnumMap<K, LongAdder> map = new EnumMap<>(keys);
    for (K key : keys.getEnumConstants()) {
      map.put(key, new LongAdder());
    }
    return map;
  }

  void accepted(OtlpSignal signal, int items) {
    acceptedRequests.get(signal).increment();
    acceptedItems.get(signal).add(items);
  }

  void refused(ReceiverStats.Refusal reason) {
    refused.get(reason).increment();
  }

  ReceiverStats snapshot(EnumMap<OtlpSignal, ExporterStats> fileStats) {
    return new ReceiverStats(
        requests.sum(),
        bytesReceived.sum(),
        sums(acceptedRequests, OtlpSignal.class),
        sums(acceptedItems, OtlpSignal.class),
        sums(refused, ReceiverStats.Refusal.class),
        fileStats);
  }

  private static <K extends Enum<K>> EnumMap<K, Long> sums(
      EnumMap<K, LongAdder> adders, Class<K> keys) {
    EnumMap<K, Long> map = new EnumMap<>(keys);
    adders.forEach((key, adder) -> map.put(key, adder.sum()));
    return map;
  }
}
