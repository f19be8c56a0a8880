package io.github.otlpfile.internal.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.otlpfile.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compression never works through a symbolic link planted where it reads, writes or deletes: the
 * file a link points to keeps its content and is never deleted.
 */
class PlantedLinksTest {
  private static final String NAME = "traces-20240301T120000.000Z-0123456789ab-1.jsonl";

  @TempDir Path root;
  private Path dir;
  private Path victim;

  @BeforeEach
  void createFolders() throws IOException {
    dir = Files.createDirectories(root.resolve("traces"));
    victim = Files.writeString(root.resolve("victim.txt"), "precious");
  }

  @Test
  void aLinkAtTheCompressedNameIsReplacedNotWrittenThrough() throws IOException {
    Path plain = Files.writeString(dir.resolve(NAME), "line\n");
    Path gz = Files.createSymbolicLink(dir.resolve(NAME + ".gz"), victim);

    assertThat(FileCompressor.gzip(plain, Durability.ON_ROTATE))
        .isEqualTo(FileCompressor.Outcome.COMPRESSED);

    assertThat(Files.readString(victim)).isEqualTo("precious");
    assertThat(Files.isSymbolicLink(gz)).isFalse();
    assertThat(FolderMaintenanceTest.gunzip(gz)).isEqualTo("line\n");
  }

  @Test
  void aLinkAtTheTemporaryNameIsNeverWrittenThrough() throws IOException {
    Path plain = Files.writeString(dir.resolve(NAME), "line\n");
    Path temporary = Files.createSymbolicLink(dir.resolve(FileNames.temporaryName(NAME)), victim);

    FileCompressor.gzip(plain, Durability.NONE);

    assertThat(Files.readString(victim)).isEqualTo("precious");
    assertThat(temporary).doesNotExist();
    assertThat(FolderMaintenanceTest.gunzip(dir.resolve(NAME + ".gz"))).isEqualTo("line\n");
  }

  @Test
  void aLinkNamedLikeAClosedFileIsNeitherCompressedNorDeleted() throws IOException {
    Path link = Files.createSymbolicLink(dir.resolve(NAME), victim);

    assertThatThrownBy(() -> FileCompressor.gzip(link, Durability.NONE))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> FileFolder.tryDelete(link))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("symbolic links");

    assertThat(Files.readString(victim)).isEqualTo("precious");
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(dir.resolve(NAME + ".gz")).doesNotExist();
    assertThat(new FileFolder(dir, "traces").list()).isEmpty();
  }
}
