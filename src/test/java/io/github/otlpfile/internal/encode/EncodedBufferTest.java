package io.github.otlpfile.internal.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  @Test
  void aPoolThatLetAnObjectGoStillTakesTheNextOneBack() {
    int[] created = {0};
    ObjectPool<Object> pool = new ObjectPool<>(() -> ++created[0], 1);
    Object kept = new Object();
    Object dropped = new Object();
    pool.release(kept);
    pool.release(dropped);
    assertThat(pool.acquire()).isSameAs(kept);
    Object later = new Object();
    pool.release(later);
    assertThat(pool.acquire()).isSameAs(later);
    assertThat(pool.acquire()).isEqualTo(1);
  }

  @Test
  void growsByHalfOrByWhatIsNeededAndKeepsTheBytes() {
    EncodedBuffer buffer = new EncodedBuffer(100);
    byte[] first = new byte[100];
    for (int i = 0; i < first.length; i++) {
      first[i] = (byte) i;
    }
    buffer.write(first, 0, first.length);
    assertThat(buffer.capacity()).isEqualTo(100);
    buffer.write(7);
    assertThat(buffer.capacity()).isEqualTo(150);
    buffer.write(new byte[1000], 0, 1000);
    assertThat(buffer.capacity()).isEqualTo(1101);
    byte[] bytes = buffer.toByteArray();
    assertThat(bytes).hasSize(1101).startsWith(first);
    assertThat(bytes[100]).isEqualTo((byte) 7);
    assertThat(new EncodedBuffer(0).capacity()).isEqualTo(16);
  }

  @Test
  void aLengthPrefixGrowsAFullBuffer() {
    EncodedBuffer buffer = new EncodedBuffer(16);
    buffer.write(new byte[14], 0, 14);
    buffer.writeInt(0x0A0B0C0D);
    assertThat(buffer.size()).isEqualTo(18);
    assertThat(buffer.capacity()).isEqualTo(24);
    assertThat(buffer.toByteArray()).endsWith(10, 11, 12, 13);
  }

  @Test
  void aBatchOfTwoGibibytesIsRefusedBeforeAnyMemoryIsTaken() {
    EncodedBuffer buffer = new EncodedBuffer(16);
    buffer.write(1);
    assertThatThrownBy(() -> buffer.write(new byte[0], 0, Integer.MAX_VALUE - 8))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2 GiB");
    assertThat(buffer.capacity()).isEqualTo(16);
    assertThat(buffer.toByteArray()).containsExactly(1);
  }
}
