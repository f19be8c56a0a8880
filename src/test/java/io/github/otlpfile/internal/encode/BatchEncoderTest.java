package io.github.otlpfile.internal.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.internal.file.TestSpans;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchEncoderTest {

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
    List<SpanData> batch = TestSpans.batch("s", 2_000);
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
    List<SpanData> batch = TestSpans.batch("s", 2_000);
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
    List<SpanData> batch = TestSpans.batch("s", 2_000);
    Collector collector = new Collector(true);
    byte[] streamedOrNot = encoder.encode(batch, collector).toByteArray();
    assertThat(collector.announced).isEqualTo(-1);
    assertThat(streamedOrNot).isEqualTo(encoder.encode(batch).toByteArray());
  }

  @Test
  void aFailureHalfWayLeavesThePiecesAlreadyHandedOver() throws Exception {
    BatchEncoder<SpanData> encoder = BatchEncoder.forSpans(OtlpFileFormat.PROTOBUF);
    List<SpanData> batch = new ArrayList<>(TestSpans.batch("s", 2_000));
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
}
