package io.github.otlpfile.internal.buffer;

import io.github.otlpfile.OverflowPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one daemon thread that moves encoded batches from the {@link BatchBuffer} to files.
 *
 * <p>Each pass drains every lane and hands what it took to the lane's {@link LaneSink} in one
 * piece, so everything that arrived during the previous write goes out in the next (group commit).
 * The thread waits on the buffer's signal, never on a timer, so an export's result is completed as
 * soon as its bytes are written. With nothing to do it wakes once a second so that sinks can rotate
 * by age and apply retention. A sink that backs off after a failed write ({@link
 * LaneSink#nanosUntilReady()}) is skipped until it is ready; its lane keeps what arrives meanwhile.
 *
 * <p>The thread is shared by every exporter in the process: it starts with the first lane and ends
 * after the last lane is closed. Thread-safe; {@code lock} guards {@code thread}.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class BackgroundWriter {
  private static final Logger logger = Logger.getLogger(BackgroundWriter.class.getName());
  private static final long IDLE_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final BackgroundWriter SHARED = new BackgroundWriter("otlp-file-writer");

  private final String threadName;
  private final long idleTickNanos;
  private final BatchBuffer buffer = new BatchBuffer();
  private final Object lock = new Object();
  // Guarded by lock.
  private Thread thread;

  public BackgroundWriter(String threadName) {
    this(threadName, IDLE_TICK_NANOS);
  }

  /** With another idle tick: tests use a long one to tell a wake-up from the periodic pass. */
  BackgroundWriter(String threadName, long idleTickNanos) {
    this.threadName = threadName;
    this.idleTickNanos = idleTickNanos;
  }

  /** The writer shared by all exporters of this process. */
  public static BackgroundWriter shared() {
    return SHARED;
  }

  public BatchBuffer getBuffer() {
    return buffer;
  }

  /**
   * Adds a lane whose entries go to {@code sink}, starting the thread if needed. The lane goes
   * away, and with the last lane the thread, once a {@code CLOSE} marker has been written.
   */
  public Lane register(
      String name, long capacityBytes, OverflowPolicy overflowPolicy, LaneSink sink) {
    synchronized (lock) {
      Lane lane = buffer.addLane(name, capacityBytes, overflowPolicy, sink);
      if (thread == null) {
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
      }
      return lane;
    }
  }

  private void run() {
    List<PendingWrite> batch = new ArrayList<>();
    while (true) {
      buffer.beginPass();
      long waitNanos = idleTickNanos;
      for (Lane lane : buffer.getLanes()) {
        long backOffNanos = nanosUntilReady(lane);
        if (backOffNanos > 0) {
          // Its entries wait in the lane; come back when the sink is ready.
          waitNanos = Math.min(waitNanos, backOffNanos);
        } else if (lane.drainTo(batch)) {
          writeBatch(lane, batch);
          batch.clear();
        }
        tick(lane);
      }
      synchronized (lock) {
        if (buffer.isEmpty()) {
          thread = null;
          return;
        }
      }
      buffer.awaitWork(waitNanos);
    }
  }

  private void writeBatch(Lane lane, List<PendingWrite> batch) {
    long bytes = 0;
    boolean closing = false;
    for (PendingWrite write : batch) {
      bytes += write.getSize();
      closing |= write.getKind() == PendingWrite.Kind.CLOSE;
    }
    try {
      lane.getSink().write(batch);
    } catch (Throwable t) {
      // A sink must not throw; if one does, fail what is left rather than kill the thread.
      logger.log(Level.SEVERE, "Unexpected failure writing " + lane.getName(), t);
      for (PendingWrite write : batch) {
        if (write.getResult() != null) {
          write.getResult().fail();
        }
      }
    } finally {
      lane.release(bytes);
    }
    if (closing) {
      buffer.removeLane(lane);
    }
  }

  private static long nanosUntilReady(Lane lane) {
    try {
      return lane.getSink().nanosUntilReady();
    } catch (Throwable t) {
      logger.log(
          Level.SEVERE, "Unexpected failure asking " + lane.getName() + " if it is ready", t);
      return 0;
    }
  }

  private static void tick(Lane lane) {
    try {
      lane.getSink().tick();
    } catch (Throwable t) {
      logger.log(Level.SEVERE, "Unexpected failure in periodic work of " + lane.getName(), t);
    }
  }
}
