package io.github.otlpfile.cli.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceTreeTest {
  @Test
  void aChainTwentyThousandDeepIsWalkedWithoutRecursion() {
    List<Span> spans = new ArrayList<>();
    int depth = 20_000;
    // Listed from the deepest up, so that the order has to come from the parent ids.
    for (int i = depth; i >= 1; i--) {
      spans.add(span(i, i == 1 ? 0 : i - 1, i));
    }
    TraceTree tree = new TraceTree(spans);
    for (int k = 0; k < depth; k++) {
      int index = tree.order[k];
      assertThat(spans.get(index).getStartTimeUnixNano()).isEqualTo(k + 1);
      assertThat(tree.depth[index]).isEqualTo(k);
    }
    assertThat(tree.missingParents).isZero();
    assertThat(tree.cycles).isZero();
  }

  @Test
  void siblingsAreOrderedByStartAndDuplicateIdsStillAppearOnce() {
    List<Span> spans =
        List.of(span(1, 0, 10), span(3, 1, 30), span(2, 1, 20), span(2, 1, 25), span(4, 9, 5));
    TraceTree tree = new TraceTree(spans);
    List<Long> starts = new ArrayList<>();
    for (int index : tree.order) {
      starts.add(spans.get(index).getStartTimeUnixNano());
    }
    assertThat(starts).containsExactly(5L, 10L, 20L, 25L, 30L);
    assertThat(tree.parentMissing[4]).isTrue();
    assertThat(tree.missingParents).isEqualTo(1);
  }

  private static Span span(long id, long parent, long start) {
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(new byte[16]))
        .setSpanId(id(id))
        .setParentSpanId(parent == 0 ? ByteString.EMPTY : id(parent))
        .setName("s" + id)
        .setStartTimeUnixNano(start)
        .setEndTimeUnixNano(start + 1)
        .build();
  }

  private static ByteString id(long id) {
    return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array());
  }
}
