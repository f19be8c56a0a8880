package io.github.otlpfile.internal.buffer;

import java.util.List;

/**
 * Where the writer thread puts what it drains from a lane: in practice the lane's rotating file.
 *
 * <p>Called only from the writer thread, so implementations need no locking of their own for state
 * they touch nowhere else.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public interface LaneSink {
  /**
   * Writes the data entries in order and completes every entry's result: data when written, {@code
   * FLUSH} when everything before it is written, {@code CLOSE} once the files are closed. Never
   * throws.
   */
  void write(List<PendingWrite> entries);

  /**
   * Lets time-driven work run on the writer thread (age rotation, retention) while no data arrives.
   * Called after every writer pass and at least once a second. Never throws.
   */
  void tick();

  /**
   * How long, in nanoseconds of {@link System#nanoTime()}, the sink wants to be left alone before
   * it is handed more entries; 0 when it takes them now. A sink backing off after a failed write
   * says so, and its lane keeps what arrives meanwhile, within its capacity.
   */
  default long nanosUntilReady() {
    return 0;
  }
}
