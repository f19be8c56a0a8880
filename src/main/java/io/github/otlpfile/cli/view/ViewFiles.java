package io.github.otlpfile.cli.view;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The OTLP files under the paths the page shows, listed the way the reader walks folders: folders
 * recursively, entries in name order, hidden entries, links inside folders and other file types
 * left out; a path given explicitly is taken whatever its name.
 *
 * <p>Stateless; thread-safe.
 */
final class ViewFiles {
  private static final String[] EXTENSIONS = {".jsonl", ".json", ".ndjson", ".binpb", ".pb"};

  private ViewFiles() {}

  static List<Path> list(List<Path> paths) {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        walk(path, files);
      } else if (Files.isRegularFile(path)) {
        files.add(path);
      }
    }
    return files;
  }

  private static void walk(Path folder, List<Path> files) {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      for (Path child : entries) {
        children.add(child);
      }
    } catch (IOException | RuntimeException e) {
      // A folder that vanished or cannot be listed holds nothing to show; the next pass retries.
      return;
    }
    children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    for (Path child : children) {
      String name = child.getFileName().toString();
      if (name.startsWith(".")) {
        continue;
      }
      if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
        walk(child, files);
      } else if (Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS) && isOtlpFileName(name)) {
        files.add(child);
      }
    }
  }

  static boolean isOtlpFileName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".gz")) {
      lower = lower.substring(0, lower.length() - 3);
    }
    for (String extension : EXTENSIONS) {
      if (lower.endsWith(extension)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The name a file keeps across its compression: the exporters compress a closed file into {@code
   * NAME.gz} and then delete {@code NAME}; positions in both are of the same uncompressed content.
   */
  static String keyOf(Path file) {
    String path = file.toString();
    return path.endsWith(".gz") ? path.substring(0, path.length() - 3) : path;
  }

  /** The file holding a key's content now: the plain file, or its compressed successor. */
  static Path current(Path last) {
    if (Files.isRegularFile(last)) {
      return last;
    }
    String name = last.getFileName().toString();
    String plain = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    for (String candidate : new String[] {plain, plain + ".gz"}) {
      Path sibling = last.resolveSibling(candidate);
      if (Files.isRegularFile(sibling)) {
        return sibling;
      }
    }
    return last;
  }
}
