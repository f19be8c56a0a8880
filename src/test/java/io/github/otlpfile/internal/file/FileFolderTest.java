package io.github.otlpfile.internal.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.support.FileListing;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
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

  @Test
  void aPairCountsItsPlainFileWhicheverOfTheTwoIsListedFirst() throws IOException {
    // The order of a directory listing is the file system's; pairs made in both orders, and
    // several of them, meet both orders of listing.
    for (int seq = 1; seq <= 12; seq++) {
      String name = "traces-20240301T120000.000Z-0123456789ab-" + seq + ".jsonl";
      Path plain = dir.resolve(name);
      Path compressed = dir.resolve(name + FileNames.GZIP_SUFFIX);
      if (seq % 2 == 0) {
        Files.writeString(plain, "x".repeat(100 + seq));
        Files.writeString(compressed, "gz");
      } else {
        Files.writeString(compressed, "gz");
        Files.writeString(plain, "x".repeat(100 + seq));
      }
      Files.setLastModifiedTime(plain, FileTime.fromMillis(1_000_000L * seq));
      Files.setLastModifiedTime(compressed, FileTime.fromMillis(5));
    }

    List<FileFolder.Entry> entries = new FileFolder(dir, "traces").list();

    assertThat(entries).hasSize(12);
    for (int i = 0; i < entries.size(); i++) {
      FileFolder.Entry entry = entries.get(i);
      int seq = i + 1;
      assertThat(entry.getPlain().getFileName().toString()).endsWith("-" + seq + ".jsonl");
      assertThat(entry.getCompressed())
          .isEqualTo(dir.resolve(entry.getPlain().getFileName() + ".gz"));
      assertThat(entry.getSizeBytes()).as(entry.toString()).isEqualTo(100 + seq);
      assertThat(entry.getLastModifiedMillis()).as(entry.toString()).isEqualTo(1_000_000L * seq);
      assertThat(entry.toString()).isEqualTo(entry.getPlain().getFileName().toString());
    }
  }
}
