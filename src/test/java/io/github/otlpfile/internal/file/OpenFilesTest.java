package io.github.otlpfile.internal.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claims on paths whose folder cannot be resolved to a real one. */
class OpenFilesTest {
  @TempDir Path dir;

  @Test
  void aPathInAFolderThatDoesNotExistYetCanBeClaimedAndReleased() throws Exception {
    Path file = dir.resolve("not-yet").resolve("file.jsonl");
    assertThat(OpenFiles.claim(file)).isTrue();
    try {
      assertThat(OpenFiles.claim(file)).as("claimed once").isFalse();
      assertThat(OpenFiles.isClaimed(file)).isTrue();
      assertThat(OpenFiles.isClaimed(dir.resolve("not-yet").resolve("other.jsonl"))).isFalse();
    } finally {
      OpenFiles.release(file);
    }
    assertThat(OpenFiles.isClaimed(file)).isFalse();
    Files.createDirectories(file.getParent());
    assertThat(OpenFiles.claim(file)).isTrue();
    OpenFiles.release(file);
  }

  @Test
  void aPathWithoutAParentIsItsOwnKey() {
    Path top = dir.getRoot();
    assertThat(OpenFiles.claim(top)).isTrue();
    try {
      assertThat(OpenFiles.isClaimed(top)).isTrue();
      assertThat(OpenFiles.claim(top)).isFalse();
    } finally {
      OpenFiles.release(top);
    }
    assertThat(OpenFiles.isClaimed(top)).isFalse();
  }
}
