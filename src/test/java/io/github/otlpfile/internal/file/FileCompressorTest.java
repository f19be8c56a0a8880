package io.github.otlpfile.internal.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.otlpfile.Durability;
import io.github.otlpfile.support.ChildJvm;
import io.github.otlpfile.support.FileListing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FileCompressorTest {
  private static final String NAME = "traces-20240301T120000.000Z-0123456789ab-1.jsonl";

  @TempDir Path dir;

  private Path plain(String text) throws IOException {
    Path path = Files.writeString(dir.resolve(NAME), text);
    Files.setLastModifiedTime(path, FileTime.from(Instant.parse("2024-03-01T12:30:00Z")));
    return path;
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void replacesThePlainFileWithAGzipThatKeepsItsTime(Durability durability) throws IOException {
    String text = "{\"resourceSpans\":[]}\n".repeat(1000);
    Path plain = plain(text);

    assertThat(FileCompressor.gzip(plain, durability)).isEqualTo(FileCompressor.Outcome.COMPRESSED);

    Path gz = dir.resolve(NAME + ".gz");
    assertThat(FileListing.names(dir)).containsExactly(NAME + ".gz");
    assertThat(FolderMaintenanceTest.gunzip(gz)).isEqualTo(text);
    assertThat(Files.size(gz)).isLessThan(text.length() / 10);
    assertThat(Files.getLastModifiedTime(gz).toInstant())
        .isEqualTo(Instant.parse("2024-03-01T12:30:00Z"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(gz)))
        .isEqualTo("rw-------");
  }

  @Test
  void replacesAStaleTemporaryFile() throws IOException {
    Path plain = plain("line\n");
    Files.writeString(dir.resolve(FileNames.temporaryName(NAME)), "left by a crash");

    FileCompressor.gzip(plain, Durability.NONE);

    assertThat(FileListing.names(dir)).containsExactly(NAME + ".gz");
    assertThat(FolderMaintenanceTest.gunzip(dir.resolve(NAME + ".gz"))).isEqualTo("line\n");
  }

  @Test
  void failureLeavesThePlainFileAndNoTemporaryFile() throws IOException {
    Path plain = plain("precious\n");
    Path blocker = Files.createDirectories(dir.resolve(NAME + ".gz"));
    Files.writeString(blocker.resolve("inside"), "x");

    assertThatThrownBy(() -> FileCompressor.gzip(plain, Durability.ON_ROTATE))
        .isInstanceOf(IOException.class);

    assertThat(Files.readString(plain)).isEqualTo("precious\n");
    assertThat(FileListing.names(dir)).containsExactly(NAME, NAME + ".gz");
  }

  @Test
  void skipsAFileThatIsClaimedOrGone() throws IOException {
    Path plain = plain("line\n");
    assertThat(OpenFiles.claim(plain)).isTrue();
    try {
      assertThat(FileCompressor.gzip(plain, Durability.NONE))
          .isEqualTo(FileCompressor.Outcome.SKIPPED);
    } finally {
      OpenFiles.release(plain);
    }
    assertThat(plain).exists();

    Files.delete(plain);
    assertThat(FileCompressor.gzip(plain, Durability.NONE))
        .isEqualTo(FileCompressor.Outcome.SKIPPED);
    assertThat(FileListing.names(dir)).isEmpty();
  }

  private static byte[] gzipped(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  @Test
  void aCompleteTemporaryFileIsMovedIntoPlaceAndATornOneDeleted() throws IOException {
    Path temporary = dir.resolve(FileNames.temporaryName(NAME));
    Path target = dir.resolve(FileNames.compressedName(NAME));
    byte[] complete = gzipped("{\"resourceSpans\":[]}\n".repeat(100));

    Files.write(temporary, complete);
    assertThat(FileCompressor.recoverTemporary(temporary, target)).isTrue();
    assertThat(FileListing.names(dir)).containsExactly(NAME + ".gz");
    assertThat(Files.readAllBytes(target)).isEqualTo(complete);

    Files.delete(target);
    Files.write(temporary, Arrays.copyOf(complete, complete.length - 6));
    assertThat(FileCompressor.recoverTemporary(temporary, target)).isFalse();
    assertThat(FileListing.names(dir)).as("a torn copy is worth nothing").isEmpty();
  }

  @Test
  void aTemporaryFileThisProcessWorksOnIsLeftAlone() throws IOException {
    Path temporary = dir.resolve(FileNames.temporaryName(NAME));
    Path target = dir.resolve(FileNames.compressedName(NAME));
    Files.write(temporary, gzipped("line\n"));

    assertThat(OpenFiles.claim(temporary)).isTrue();
    try {
      assertThat(FileCompressor.recoverTemporary(temporary, target)).isFalse();
    } finally {
      OpenFiles.release(temporary);
    }
    assertThat(OpenFiles.claim(target)).isTrue();
    try {
      assertThat(FileCompressor.recoverTemporary(temporary, target)).isFalse();
    } finally {
      OpenFiles.release(target);
    }
    assertThat(FileListing.names(dir)).containsExactly(FileNames.temporaryName(NAME));
    // Once nobody holds them, the claims are gone: it is moved into place.
    assertThat(FileCompressor.recoverTemporary(temporary, target)).isTrue();
    assertThat(FileListing.names(dir)).containsExactly(NAME + ".gz");
  }

  @Test
  void tasksRunInOrderOnOneNamedDaemonThread() throws Exception {
    FileCompressor compressor = new FileCompressor("test-compressor");
    CompletableFuture<Thread> first = new CompletableFuture<>();
    CompletableFuture<Thread> second = new CompletableFuture<>();
    compressor.submit(() -> first.complete(Thread.currentThread()));
    compressor.submit(() -> second.complete(first.isDone() ? Thread.currentThread() : null));

    Thread thread = first.get(10, TimeUnit.SECONDS);
    assertThat(thread.getName()).isEqualTo("test-compressor");
    assertThat(thread.isDaemon()).as("never keeps the application alive").isTrue();
    assertThat(second.get(10, TimeUnit.SECONDS)).isSameAs(thread);
  }

  @Test
  void aCompressionSkippedForAClaimedTargetOrTemporaryFileReleasesItsOwnClaims()
      throws IOException {
    Path plain = plain("line\n");
    Path target = dir.resolve(FileNames.compressedName(NAME));
    Path temporary = dir.resolve(FileNames.temporaryName(NAME));
    for (Path busy : new Path[] {target, temporary}) {
      assertThat(OpenFiles.claim(busy)).isTrue();
      try {
        assertThat(FileCompressor.gzip(plain, Durability.NONE))
            .as(busy.getFileName().toString())
            .isEqualTo(FileCompressor.Outcome.SKIPPED);
      } finally {
        OpenFiles.release(busy);
      }
      assertThat(OpenFiles.isClaimed(plain)).isFalse();
      assertThat(OpenFiles.isClaimed(target)).isFalse();
      assertThat(FileListing.names(dir)).containsExactly(NAME);
    }

    assertThat(FileCompressor.gzip(plain, Durability.NONE))
        .isEqualTo(FileCompressor.Outcome.COMPRESSED);
    assertThat(OpenFiles.isClaimed(plain)).isFalse();
    assertThat(OpenFiles.isClaimed(target)).isFalse();
    assertThat(OpenFiles.isClaimed(temporary)).isFalse();
  }

  @Test
  void skipsAFileAnotherProcessHoldsLocked() throws Exception {
    Path plain = plain("line\n");
    try (ChildJvm child = ChildJvm.start(LockHolderMain.class, plain.toString())) {
      assertThat(child.nextLine(Duration.ofSeconds(60))).isEqualTo("locked true");

      assertThat(FileCompressor.gzip(plain, Durability.NONE))
          .isEqualTo(FileCompressor.Outcome.SKIPPED);
      assertThat(FileListing.names(dir)).containsExactly(NAME);
      assertThat(OpenFiles.isClaimed(plain)).isFalse();

      child.process().getOutputStream().close();
      assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(FileCompressor.gzip(plain, Durability.NONE))
        .isEqualTo(FileCompressor.Outcome.COMPRESSED);
  }
}
