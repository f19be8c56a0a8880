package io.github.otlpfile.internal.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.internal.file.TestSpans;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchEncoderTest {
  // About 100 bytes a span in binary: a record of several pieces, above the streaming threshold.
  private static final int LARGE = 15_000;

  /** Collects the pieces it is given, refusing the record when {@code accept} is false. */
  private static final class Collector implements BatchEncoder.Streaming {
    final boolean accept;
    long announced = -1;
    final List<byte[]> pieces = new ArrayList<>();

    Collector(boolean accept) {
      this.accept = accept;
    }

    @Override
    public boolean open(long recordBytes) {
      announced = recordBytes;
      return accept;
    }

    @Override
    public void piece(EncodedBuffer piece) {
      pieces.add(piece.toByteArray());
    }
  }

  @Test
  void piecesAddUpToTheSameBytesAsTheWholeRecord() throws Exception {
    BatchEncoder<SpanData> encoder = BatchEncoder.forSpans(OtlpFileFormat.PROTOBUF);
    List<SpanData> batch = TestSpans.batch("s", LARGE);
    byte[] whole = encoder.encode(batch).toByteArray();

    Collector collector = new Collector(true);
    EncodedBuffer rest = encoder.encode(batch, collector);
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (byte[] piece : collector.pieces) {
      assertThat(piece).hasSize(BatchEncoder.PIECE_BYTES);
      joined.write(piece);
    }
    assertThat(rest.size()).isBetween(1, BatchEncoder.PIECE_BYTES);
    joined.write(rest.toByteArray());

    assertThat(collector.pieces).hasSizeGreaterThan(2);
    assertThat(joined.toByteArray()).isEqualTo(whole);
    assertThat(collector.announced).isEqualTo(whole.length);
  }

  @Test
  void aRefusedOrSmallRecordIsEncodedWhole() throws Exception {
    BatchEncoder<SpanData> encoder = BatchEncoder.forSpans(OtlpFileFormat.PROTOBUF);
    List<SpanData> batch = TestSpans.batch("s", LARGE);
    Collector refusing = new Collector(false);
    assertThat(encoder.encode(batch, refusing).toByteArray())
        .isEqualTo(encoder.encode(batch).toByteArray());
    assertThat(refusing.announced).isPositive();
    assertThat(refusing.pieces).isEmpty();

    Collector small = new Collector(true);
    encoder.encode(TestSpans.batch("s", 3), small);
    assertThat(small.announced).as("not offered").isEqualTo(-1);
  }

  @Test
  void jsonRecordsAreNeverStreamed() throws Exception {
    BatchEncoder<SpanData> encoder = BatchEncoder.forSpans(OtlpFileFormat.JSON_LINES);
    List<SpanData> batch = TestSpans.batch("s", LARGE);
    Collector collector = new Collector(true);
    byte[] streamedOrNot = encoder.encode(batch, collector).toByteArray();
    assertThat(collector.announced).isEqualTo(-1);
    assertThat(streamedOrNot).isEqualTo(encoder.encode(batch).toByteArray());
  }

  @Test
  void aFailureHalfWayLeavesThePiecesAlreadyHandedOver() throws Exception {
    BatchEncoder<SpanData> encoder = BatchEncoder.forSpans(OtlpFileFormat.PROTOBUF);
    List<SpanData> batch = new ArrayList<>(TestSpans.batch("s", LARGE));
    SpanData broken = TestSpans.span("broken");
    int[] nameReads = {0};
    batch.add(
        (SpanData)
            java.lang.reflect.Proxy.newProxyInstance(
                SpanData.class.getClassLoader(),
                new Class<?>[] {SpanData.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("getName") && ++nameReads[0] == 2) {
                    throw new IllegalStateException("broken");
                  }
                  return method.invoke(broken, args);
                }));
    Collector collector = new Collector(true);
    assertThatThrownBy(() -> encoder.encode(batch, collector))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("broken");
    assertThat(collector.pieces).isNotEmpty();
    // The encoder is still usable: its marshaler and buffers went back to their pools.
    assertThat(encoder.encode(TestSpans.batch("s", 3)).size()).isPositive();
  }

  private static byte[] freshEncoding(OtlpFileFormat format, List<SpanData> batch)
      throws Exception {
    return BatchEncoder.forSpans(format).encode(batch).toByteArray();
  }

  @Test
  void aRecycledBufferOrMarshalerNeverLeaksAPreviousBatchIntoTheNext() throws Exception {
    for (OtlpFileFormat format : OtlpFileFormat.values()) {
      BatchEncoder<SpanData> encoder = BatchEncoder.forSpans(format);
      List<SpanData> large = TestSpans.batch("large", 200);
      List<SpanData> small = TestSpans.batch("small", 2);
      byte[] expectedSmall = freshEncoding(format, small);

      EncodedBuffer first = encoder.encode(large);
      assertThat(first.toByteArray()).isEqualTo(freshEncoding(format, large));
      encoder.recycle(first);
      EncodedBuffer second = encoder.encode(small);
      assertThat(second).as(format + ": the buffer is reused").isSameAs(first);
      assertThat(second.toByteArray()).as(format.toString()).isEqualTo(expectedSmall);

      // Without recycling the buffer: the pooled marshaler must hold nothing of the last batch.
      EncodedBuffer third = encoder.encode(small);
      assertThat(third).isNotSameAs(second);
      assertThat(third.toByteArray()).as(format.toString()).isEqualTo(expectedSmall);
    }
  }

  @Test
  void recycledPiecesOfAStreamedRecordStartEmpty() throws Exception {
    BatchEncoder<SpanData> encoder = BatchEncoder.forSpans(OtlpFileFormat.PROTOBUF);
    List<SpanData> batch = TestSpans.batch("s", LARGE);
    byte[] whole = freshEncoding(OtlpFileFormat.PROTOBUF, batch);
    for (int round = 0; round < 3; round++) {
      List<EncodedBuffer> pieces = new ArrayList<>();
      BatchEncoder.Streaming streaming =
          new BatchEncoder.Streaming() {
            @Override
            public boolean open(long recordBytes) {
              return true;
            }

            @Override
            public void piece(EncodedBuffer piece) {
              pieces.add(piece);
            }
          };
      EncodedBuffer rest = encoder.encode(batch, streaming);
      ByteArrayOutputStream joined = new ByteArrayOutputStream();
      for (EncodedBuffer piece : pieces) {
        joined.write(piece.toByteArray());
      }
      joined.write(rest.toByteArray());
      assertThat(joined.toByteArray()).as("round " + round).isEqualTo(whole);
      // The writer hands every piece back once written.
      pieces.forEach(encoder::recycle);
      encoder.recycle(rest);
    }
  }

  @Test
  void aBufferThatGrewTooLargeIsNotPooled() throws Exception {
    BatchEncoder<SpanData> encoder = BatchEncoder.forSpans(OtlpFileFormat.PROTOBUF);
    List<SpanData> small = TestSpans.batch("s", 2);
    byte[] expected = freshEncoding(OtlpFileFormat.PROTOBUF, small);

    EncodedBuffer tooLarge = new EncodedBuffer(16 * 1024 * 1024 + 1);
    encoder.recycle(tooLarge);
    EncodedBuffer next = encoder.encode(small);
    assertThat(next).isNotSameAs(tooLarge);

    EncodedBuffer largest = new EncodedBuffer(16 * 1024 * 1024);
    largest.write(new byte[100], 0, 100);
    encoder.recycle(largest);
    EncodedBuffer reused = encoder.encode(small);
    assertThat(reused).as("16 MiB is still pooled").isSameAs(largest);
    assertThat(reused.toByteArray()).isEqualTo(expected);
  }

  private static int recordSize(BatchEncoder<SpanData> encoder, List<SpanData> batch)
      throws Exception {
    EncodedBuffer record = encoder.encode(batch);
    int size = record.size();
    encoder.recycle(record);
    return size;
  }

  private static List<SpanData> sameNamed(int count) {
    List<SpanData> spans = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      spans.add(TestSpans.span("s"));
    }
    return spans;
  }

  /** A batch whose PROTOBUF record, length prefix included, is exactly {@code recordBytes}. */
  private static List<SpanData> batchOfRecordSize(BatchEncoder<SpanData> encoder, int recordBytes)
      throws Exception {
    int perSpan = recordSize(encoder, sameNamed(101)) - recordSize(encoder, sameNamed(100));
    List<SpanData> base = sameNamed((recordBytes - 5_000) / perSpan);
    // One more span whose name makes up the rest. Names and spans of 128 bytes or more (and less
    // than 16 KiB) keep their length prefixes at two bytes: each byte of name is one of record.
    int nameLength = 1_000;
    for (int attempt = 0; attempt < 5; attempt++) {
      List<SpanData> batch = new ArrayList<>(base);
      batch.add(
          TestSpanData.builder()
              .setSpanContext(base.get(0).getSpanContext())
              .setName("n".repeat(nameLength))
              .setKind(SpanKind.INTERNAL)
              .setStartEpochNanos(1)
              .setEndEpochNanos(2)
              .setStatus(StatusData.ok())
              .setHasEnded(true)
              .build());
      int size = recordSize(encoder, batch);
      if (size == recordBytes) {
        return batch;
      }
      nameLength += recordBytes - size;
    }
    throw new AssertionError("no batch of " + recordBytes + " bytes found");
  }

  @Test
  void aRecordOfExactlyTheThresholdIsOfferedForStreamingAndOneByteLessIsNot() throws Exception {
    BatchEncoder<SpanData> encoder = BatchEncoder.forSpans(OtlpFileFormat.PROTOBUF);
    Collector atThreshold = new Collector(false);
    encoder.recycle(
        encoder.encode(batchOfRecordSize(encoder, BatchEncoder.STREAM_MIN_BYTES), atThreshold));
    assertThat(atThreshold.announced).isEqualTo(BatchEncoder.STREAM_MIN_BYTES);

    Collector below = new Collector(true);
    EncodedBuffer whole =
        encoder.encode(batchOfRecordSize(encoder, BatchEncoder.STREAM_MIN_BYTES - 1), below);
    assertThat(below.announced).as("not offered").isEqualTo(-1);
    assertThat(whole.size()).isEqualTo(BatchEncoder.STREAM_MIN_BYTES - 1);
  }
}
