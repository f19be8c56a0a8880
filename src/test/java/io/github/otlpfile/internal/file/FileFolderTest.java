package io.github.otlpfile.internal.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.support.FileListing;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What deleting a listed entry answers: deleted, held by a writer, or already gone. */
class FileFolderTest {
  private static final String NAME = "traces-20240301T120000.000Z-0123456789ab-1.jsonl";

  @TempDir Path dir;

  private FileFolder.Entry onlyEntry() throws IOException {
    List<FileFolder.Entry> entries = new FileFolder(dir, "traces").list();
    assertThat(entries).hasSize(1);
    return entries.get(0);
  }

  @Test
  void aFileClaimedOrLockedInThisProcessIsHeldAndKept() throws IOException {
    Path plain = Files.writeString(dir.resolve(NAME), "line\n");
    FileFolder folder = new FileFolder(dir, "traces");
    FileFolder.Entry entry = onlyEntry();

    assertThat(OpenFiles.claim(plain)).isTrue();
    try {
      assertThat(folder.tryDelete(entry)).isEqualTo(FileFolder.Deletion.HELD);
    } finally {
      OpenFiles.release(plain);
    }
    try (FileChannel channel = FileChannel.open(plain, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      assertThat(lock.isValid()).isTrue();
      assertThat(folder.tryDelete(entry)).isEqualTo(FileFolder.Deletion.HELD);
    }
    assertThat(plain).exists();

    assertThat(folder.tryDelete(entry)).isEqualTo(FileFolder.Deletion.DELETED);
    assertThat(FileListing.names(dir)).isEmpty();
    assertThat(folder.tryDelete(entry))
        .as("someone deleted it first")
        .isEqualTo(FileFolder.Deletion.GONE);
  }

  @Test
  void aPairIsDeletedWholeAndAHeldCompressedCopyKeepsItsEntry() throws IOException {
    Path plain = Files.writeString(dir.resolve(NAME), "line\n");
    Path compressed = Files.writeString(dir.resolve(NAME + FileNames.GZIP_SUFFIX), "gz");
    FileFolder folder = new FileFolder(dir, "traces");
    FileFolder.Entry entry = onlyEntry();
    assertThat(entry.getPlain()).isEqualTo(plain);
    assertThat(entry.getCompressed()).isEqualTo(compressed);

    assertThat(OpenFiles.claim(compressed)).isTrue();
    try {
      // The plain file goes; the compressed one is held, yet the entry counts as deleted.
      assertThat(folder.tryDelete(entry)).isEqualTo(FileFolder.Deletion.DELETED);
      assertThat(FileListing.names(dir)).containsExactly(NAME + FileNames.GZIP_SUFFIX);
      assertThat(folder.tryDelete(onlyEntry())).isEqualTo(FileFolder.Deletion.HELD);
    } finally {
      OpenFiles.release(compressed);
    }
    assertThat(folder.tryDelete(onlyEntry())).isEqualTo(FileFolder.Deletion.DELETED);
    assertThat(FileListing.names(dir)).isEmpty();
  }
}
