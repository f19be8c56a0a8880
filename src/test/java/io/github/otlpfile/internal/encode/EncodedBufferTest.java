package io.github.otlpfile.internal.encode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class EncodedBufferTest {
  @Test
  void growsAndFramesBigEndian() {
    EncodedBuffer buffer = new EncodedBuffer(1);
    buffer.writeInt(0x01020304);
    for (int i = 0; i < 100; i++) {
      buffer.write(i);
    }
    buffer.close();

    assertThat(buffer.size()).isEqualTo(104);
    assertThat(buffer.capacity()).isGreaterThanOrEqualTo(104);
    byte[] bytes = buffer.toByteArray();
    assertThat(bytes).startsWith(1, 2, 3, 4, 0, 1, 2);
    ByteBuffer view = buffer.asByteBuffer();
    assertThat(view.remaining()).isEqualTo(104);
    assertThat(view.getInt()).isEqualTo(0x01020304);

    buffer.reset();
    assertThat(buffer.size()).isZero();
  }

  @Test
  void poolReusesUpToItsBound() {
    int[] created = {0};
    ObjectPool<Object> pool = new ObjectPool<>(() -> ++created[0], 1);

    Object first = pool.acquire();
    Object second = pool.acquire();
    pool.release(first);
    pool.release(second);

    assertThat(pool.acquire()).isSameAs(first);
    assertThat(pool.acquire()).isNotSameAs(second);
    assertThat(created[0]).isEqualTo(3);
  }
}
