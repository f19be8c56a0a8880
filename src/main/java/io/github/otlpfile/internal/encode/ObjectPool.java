package io.github.otlpfile.internal.encode;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A small lock-free pool of reusable objects, bounded in count. When empty it creates a new object;
 * when full it lets returned objects go to the garbage collector.
 *
 * <p>Thread-safe.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ObjectPool<T> {
  private final ConcurrentLinkedQueue<T> idle = new ConcurrentLinkedQueue<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private final Supplier<T> factory;
  private final int maxIdle;

  public ObjectPool(Supplier<T> factory, int maxIdle) {
    this.factory = factory;
    this.maxIdle = maxIdle;
  }

  public T acquire() {
    T pooled = idle.poll();
    if (pooled == null) {
      return factory.get();
    }
    idleCount.decrementAndGet();
    return pooled;
  }

  public void release(T object) {
    if (idleCount.incrementAndGet() <= maxIdle) {
      idle.offer(object);
    } else {
      idleCount.decrementAndGet();
    }
  }
}
