package io.github.otlpfile.cli;

/**
 * What a replay did with one file's items: delivered now, rejected by the endpoint, not sent
 * because the replay stopped, or delivered by an earlier run (per the checkpoint).
 *
 * <p>Not thread-safe: the replay loop owns it.
 */
final class ReplayTally {
  final String file;
  long records;
  long delivered;
  long failed;
  long skipped;
  long earlier;

  ReplayTally(String file) {
    this.file = file;
  }

  void add(ReplayTally other) {
    records += other.records;
    delivered += other.delivered;
    failed += other.failed;
    skipped += other.skipped;
    earlier += other.earlier;
  }
}
