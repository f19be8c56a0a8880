package io.github.otlpfile.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir Path dir;

  private static Checkpoint sample() {
    return new Checkpoint(
        "traces-20250101T000000.000Z-0123456789ab-1.binpb",
        Arrays.asList(
            new Checkpoint.FileEntry(
                "traces-20250101T000001.000Z-0123456789ab-2.binpb",
                1154,
                new TreeSet<>(Arrays.asList(3462L, 4616L))),
            new Checkpoint.FileEntry(
                "traces-20250101T000002.000Z-ba9876543210-1.jsonl",
                Long.MAX_VALUE,
                Collections.<Long>emptySet())));
  }

  @Test
  void writesAtomicallyAndReadsBackWhatItWrote() throws Exception {
    sample().write(dir, Checkpoint.DEFAULT_STORAGE, true);

    assertThat(dir.resolve(Checkpoint.TEMPORARY_NAME)).doesNotExist();
    Checkpoint read = Checkpoint.read(dir, new String[1]);
    assertThat(read.format()).isEqualTo(sample().format());
    assertThat(read.watermark).isEqualTo("traces-20250101T000000.000Z-0123456789ab-1.binpb");
    assertThat(read.files.get(0).settledBefore).isEqualTo(1154);
    assertThat(read.files.get(0).settledAfter).containsExactly(3462L, 4616L);
    assertThat(read.files.get(1).settledBefore).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void noCheckpointMeansNothingIsKnownToBeDelivered() {
    Checkpoint read = Checkpoint.read(dir, new String[1]);

    assertThat(read.watermark).isNull();
    assertThat(read.files).isEmpty();
  }

  @Test
  void everyKindOfDamageIsReportedNotThrown() throws Exception {
    String good = sample().format();
    String[] damaged = {
      "",
      good.substring(0, good.length() / 2),
      good.replace("1154", "1155"),
      good.replace("otlp-file-forward-checkpoint 1", "otlp-file-forward-checkpoint 9"),
      "\u0000\u0001garbage",
    };
    for (String text : damaged) {
      Files.write(dir.resolve(Checkpoint.FILE_NAME), text.getBytes(StandardCharsets.UTF_8));
      String[] problem = new String[1];

      assertThat(Checkpoint.read(dir, problem)).as(text).isNull();
      assertThat(problem[0]).contains(Checkpoint.FILE_NAME);
    }
  }

  /** {@code body} with the checksum line a real checkpoint ends with. */
  private static String withChecksum(String body) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    crc.update(bytes, 0, bytes.length);
    return body + "crc32 " + Long.toHexString(crc.getValue()) + "\n";
  }

  @Test
  void aBadLineIsNamedByItsNumber() {
    String header = "otlp-file-forward-checkpoint 1\nwatermark -\n";
    String file = "file traces-20250101T000001.000Z-0123456789ab-2.binpb";

    assertThatThrownBy(() -> Checkpoint.parse(withChecksum(header + file + " 1\nfile x\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("line 4: not a file entry");
    assertThatThrownBy(() -> Checkpoint.parse(withChecksum(header + file + " 1 2 x\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("line 3: bad number");
    assertThatThrownBy(() -> Checkpoint.parse(withChecksum(header + file + " one\n")))
        .hasMessage("line 3: bad number");
    assertThatThrownBy(() -> Checkpoint.parse(withChecksum("otlp-file-forward-checkpoint 1\n")))
        .hasMessage("line 2: no watermark");
    assertThatThrownBy(() -> Checkpoint.parse(withChecksum("otlp-file-forward-checkpoint 1")))
        .hasMessage("unknown header");
    assertThatThrownBy(() -> Checkpoint.parse(withChecksum("")))
        .as("a checksum line alone")
        .hasMessage("unknown header");
    assertThatThrownBy(
            () -> Checkpoint.parse(withChecksum("otlp-file-forward-checkpoint 1\nfile x 1\n")))
        .hasMessage("line 2: no watermark");
    Checkpoint parsed = Checkpoint.parse(withChecksum(header + "\n" + file + " max\n"));
    assertThat(parsed.watermark).isNull();
    assertThat(parsed.files).hasSize(1);
    assertThat(parsed.files.get(0).settledBefore).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aChecksumMismatchSaysSo() {
    String tampered = sample().format().replace("4616", "4617");

    assertThatThrownBy(() -> Checkpoint.parse(tampered))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("checksum mismatch");
  }

  @Test
  void aLinkPlantedAsTheCheckpointIsNeitherReadNorWrittenThrough() throws Exception {
    Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
    Path victim = elsewhere.resolve("victim");
    Files.write(victim, sample().format().getBytes(StandardCharsets.UTF_8));
    Path folder = Files.createDirectory(dir.resolve("traces"));
    Files.createSymbolicLink(folder.resolve(Checkpoint.FILE_NAME), victim);
    Files.createSymbolicLink(folder.resolve(Checkpoint.TEMPORARY_NAME), victim);
    String[] problem = new String[1];

    assertThat(Checkpoint.read(folder, problem)).isNull();
    assertThat(problem[0]).contains("symbolic link");

    Checkpoint other = new Checkpoint(null, Collections.<Checkpoint.FileEntry>emptyList());
    try {
      other.write(folder, Checkpoint.DEFAULT_STORAGE, true);
    } catch (java.io.IOException refused) {
      // refusing to write through the planted temporary link is as good as replacing it
    }
    assertThat(new String(Files.readAllBytes(victim), StandardCharsets.UTF_8))
        .isEqualTo(sample().format());
  }
}
