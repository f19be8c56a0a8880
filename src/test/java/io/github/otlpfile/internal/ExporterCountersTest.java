package io.github.otlpfile.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.CircuitState;
import io.github.otlpfile.ExporterStats;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** The live counters and the snapshot that {@code getStats()} hands out. */
class ExporterCountersTest {
  @Test
  void theSnapshotCarriesEachCounterInItsOwnPlace() {
    ExporterCounters counters = new ExporterCounters();
    LongAdder[] adders = {
      counters.exportedItems,
      counters.droppedItems,
      counters.failedItems,
      counters.bytesWritten,
      counters.filesCreated,
      counters.filesDeleted,
      counters.forwardedItems,
      counters.forwardFailedItems,
      counters.forwardSkippedItems,
      counters.forwardCaughtUpItems,
      counters.forwardRejectedItems,
      counters.forwardExpiredItems,
      counters.forwardFoundItems,
    };
    for (int i = 0; i < adders.length; i++) {
      adders[i].add(i + 1);
    }
    counters.setBacklog(backlog(100, 2000, Long.MAX_VALUE));
    counters.setCircuitStateSupplier(() -> CircuitState.HALF_OPEN);

    ExporterStats stats = counters.snapshot();

    assertThat(stats.getExportedItems()).isEqualTo(1);
    assertThat(stats.getDroppedItems()).isEqualTo(2);
    assertThat(stats.getFailedItems()).isEqualTo(3);
    assertThat(stats.getBytesWritten()).isEqualTo(4);
    assertThat(stats.getFilesCreated()).isEqualTo(5);
    assertThat(stats.getFilesDeleted()).isEqualTo(6);
    assertThat(stats.getForwardedItems()).isEqualTo(7);
    assertThat(stats.getForwardFailedItems()).isEqualTo(8);
    assertThat(stats.getForwardSkippedItems()).isEqualTo(9);
    assertThat(stats.getForwardCaughtUpItems()).isEqualTo(10);
    assertThat(stats.getForwardRejectedItems()).isEqualTo(11);
    assertThat(stats.getForwardExpiredItems()).isEqualTo(12);
    assertThat(stats.getForwardFoundItems()).isEqualTo(13);
    assertThat(stats.getCircuitState()).isEqualTo(CircuitState.HALF_OPEN);
    // This exporter's backlog plus what was found and not yet settled.
    assertThat(stats.getForwardBacklogItems()).isEqualTo(100 + 13);
    assertThat(stats.getForwardBacklogBytes()).isEqualTo(2000);
    assertThat(stats.getForwardBacklogAge()).isEqualTo(Duration.ZERO);
  }

  @Test
  void withoutForwardingTheCircuitIsClosedAndThereIsNoBacklog() {
    ExporterCounters counters = new ExporterCounters();
    counters.forwardFoundItems.add(5);

    assertThat(counters.isForwarding()).isFalse();
    assertThat(counters.isCatchingUp()).isFalse();
    assertThat(counters.getCircuitState()).isEqualTo(CircuitState.CLOSED);
    assertThat(counters.backlogItems()).isZero();
    assertThat(counters.backlogBytes()).isZero();
    assertThat(counters.backlogAgeMillis()).isZero();

    counters.setCircuitStateSupplier(() -> CircuitState.OPEN);
    assertThat(counters.isForwarding()).isTrue();
    assertThat(counters.getCircuitState()).isEqualTo(CircuitState.OPEN);
    assertThat(counters.snapshot().getCircuitState()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void theBacklogCountsFoundItemsUntilTheyAreSettled() {
    ExporterCounters counters = new ExporterCounters();
    counters.setBacklog(backlog(7, 70, Long.MAX_VALUE));
    counters.forwardFoundItems.add(10);
    counters.forwardFoundBacklogSettled.add(4);

    assertThat(counters.isCatchingUp()).isTrue();
    assertThat(counters.backlogItems()).isEqualTo(7 + 10 - 4);
    assertThat(counters.backlogBytes()).isEqualTo(70);
  }

  @Test
  void theBacklogAgeIsTheTimeSinceItsOldestRecordAndNeverNegative() {
    ExporterCounters counters = new ExporterCounters();
    long before = System.currentTimeMillis();
    counters.setBacklog(backlog(1, 1, before - 60_000));
    long age = counters.backlogAgeMillis();
    long after = System.currentTimeMillis();
    assertThat(age).isBetween(60_000L, after - before + 60_000L);
    assertThat(counters.snapshot().getForwardBacklogAge().toMillis()).isGreaterThanOrEqualTo(age);

    // A record written "in the future" (the wall clock went back) is not a negative age.
    counters.setBacklog(backlog(1, 1, System.currentTimeMillis() + 3_600_000));
    assertThat(counters.backlogAgeMillis()).isZero();
  }

  private static ExporterCounters.Backlog backlog(long items, long bytes, long oldestMillis) {
    return new ExporterCounters.Backlog() {
      @Override
      public long items() {
        return items;
      }

      @Override
      public long bytes() {
        return bytes;
      }

      @Override
      public long oldestMillis() {
        return oldestMillis;
      }
    };
  }
}
