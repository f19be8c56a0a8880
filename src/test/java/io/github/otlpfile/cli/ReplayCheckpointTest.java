package io.github.otlpfile.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCheckpointTest {
  private static final String ENDPOINT = "http://127.0.0.1:4318";
  private static final String PROTOCOL = "http/protobuf";

  @TempDir Path directory;

  @Test
  void roundTripsOddPathsAndKeepsTheFileWhenItIsCompressedLater() throws Exception {
    Path checkpointFile = directory.resolve("cp");
    Path odd = directory.resolve("100% odd\nname.jsonl");
    Path plain = directory.resolve("traces-1.binpb");
    ReplayCheckpoint checkpoint = ReplayCheckpoint.empty(checkpointFile, ENDPOINT, PROTOCOL);
    checkpoint.setRecordsDone(odd, 3);
    checkpoint.setRecordsDone(plain, 7);
    checkpoint.save();
    Files.writeString(directory.resolve("cp.tmp"), "left over by a crash during a save");

    ReplayCheckpoint loaded = ReplayCheckpoint.load(checkpointFile, ENDPOINT, PROTOCOL);

    assertThat(loaded.recordsDone(odd)).isEqualTo(3);
    assertThat(loaded.recordsDone(plain)).isEqualTo(7);
    assertThat(loaded.recordsDone(directory.resolve("traces-1.binpb.gz"))).isEqualTo(7);
    assertThat(loaded.recordsDone(directory.resolve("other.jsonl"))).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(checkpointFile)))
        .isEqualTo("rw-------");
  }

  @Test
  void aMissingCheckpointIsAnEmptyOne() throws Exception {
    ReplayCheckpoint loaded = ReplayCheckpoint.load(directory.resolve("none"), ENDPOINT, PROTOCOL);

    assertThat(loaded.recordsDone(directory.resolve("a.jsonl"))).isZero();
  }

  @Test
  void aTruncatedOrForeignFileIsRefusedAsDamaged() throws Exception {
    Path checkpointFile = directory.resolve("cp");
    ReplayCheckpoint checkpoint = ReplayCheckpoint.empty(checkpointFile, ENDPOINT, PROTOCOL);
    checkpoint.setRecordsDone(directory.resolve("a.jsonl"), 2);
    checkpoint.save();
    String text = Files.readString(checkpointFile);

    Files.writeString(checkpointFile, text.substring(0, text.length() / 2));
    assertThatThrownBy(() -> ReplayCheckpoint.load(checkpointFile, ENDPOINT, PROTOCOL))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("checkpoint " + checkpointFile + " is damaged")
        .hasMessageContaining("--restart");

    Files.write(checkpointFile, new byte[] {0, 1, 2, (byte) 0xff});
    assertThatThrownBy(() -> ReplayCheckpoint.load(checkpointFile, ENDPOINT, PROTOCOL))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is damaged (it is not a replay checkpoint or it is incomplete)");
  }

  @Test
  void anotherProtocolOrEndpointIsRefused() throws Exception {
    Path checkpointFile = directory.resolve("cp");
    ReplayCheckpoint.empty(checkpointFile, ENDPOINT, PROTOCOL).save();

    assertThatThrownBy(() -> ReplayCheckpoint.load(checkpointFile, ENDPOINT, "grpc"))
        .hasMessageContaining("belongs to a replay to " + ENDPOINT + " (http/protobuf)");
    assertThat(ReplayCheckpoint.defaultPath(directory, PROTOCOL, ENDPOINT))
        .isNotEqualTo(ReplayCheckpoint.defaultPath(directory, "grpc", ENDPOINT))
        .hasParentRaw(directory.toAbsolutePath());
    assertThat(ReplayCheckpoint.defaultPath(directory, PROTOCOL, ENDPOINT).getFileName().toString())
        .startsWith(".otlp-file-replay-")
        .endsWith(".checkpoint");
  }
}
