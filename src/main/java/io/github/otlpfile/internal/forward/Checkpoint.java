package io.github.otlpfile.internal.forward;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32;

/**
 * The forwarding checkpoint of one signal folder: what of the folder was delivered, saved in the
 * hidden file {@value #FILE_NAME} beside the data, so that no reader, retention or compression ever
 * takes it for data. It is replaced atomically: written to {@value #TEMPORARY_NAME}, forced to disk
 * (unless the durability is {@code NONE}), then renamed over the old one.
 *
 * <p>The text format, one item a line: {@code otlp-file-forward-checkpoint 1}; {@code watermark
 * NAME} (that file and every file sorting before it are delivered; {@code -} for none); then {@code
 * file NAME SETTLED_BEFORE [POSITION...]} for each file not wholly delivered (records before {@code
 * SETTLED_BEFORE} and at the listed positions are delivered; {@code SETTLED_BEFORE} is {@code max}
 * for a file delivered in full); last {@code crc32 HEX} over everything before it. Anything else is
 * damage: {@link #read} then returns {@code null} and the caller starts from the oldest file.
 *
 * <p>Immutable.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class Checkpoint {
  static final String FILE_NAME = ".otlp-forward-checkpoint";
  static final String TEMPORARY_NAME = ".otlp-forward-checkpoint.tmp";
  private static final String HEADER = "otlp-file-forward-checkpoint 1";
  // Far more than any real checkpoint; a bigger file is damage, not something to load.
  static final long MAX_BYTES = 64L * 1024 * 1024;

  static final Checkpoint EMPTY = new Checkpoint(null, Collections.<FileEntry>emptyList());

  final String watermark;
  final List<FileEntry> files;

  Checkpoint(String watermark, List<FileEntry> files) {
    this.watermark = watermark;
    this.files = Collections.unmodifiableList(new ArrayList<>(files));
  }

  static final class FileEntry {
    final String name;
    final long settledBefore;
    final Set<Long> settledAfter;

    FileEntry(String name, long settledBefore, Set<Long> settledAfter) {
      this.name = name;
      this.settledBefore = settledBefore;
      this.settledAfter = Collections.unmodifiableSet(new TreeSet<>(settledAfter));
    }
  }

  /** Writes files for {@link #write}; replaced in tests to inject failures such as a full disk. */
  interface Storage {
    FileChannel openTemporary(Path path) throws IOException;

    void replace(Path temporary, Path target) throws IOException;
  }

  static final Storage DEFAULT_STORAGE =
      new Storage() {
        @Override
        public FileChannel openTemporary(Path path) throws IOException {
          return FileChannel.open(
              path,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public void replace(Path temporary, Path target) throws IOException {
          Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        }
      };

  String format() {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    text.append("watermark ").append(watermark == null ? "-" : watermark).append('\n');
    for (FileEntry file : files) {
      text.append("file ").append(file.name).append(' ');
      text.append(file.settledBefore == Long.MAX_VALUE ? "max" : Long.toString(file.settledBefore));
      for (long position : file.settledAfter) {
        text.append(' ').append(position);
      }
      text.append('\n');
    }
    CRC32 crc = new CRC32();
    byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
    crc.update(body, 0, body.length);
    text.append("crc32 ").append(Long.toHexString(crc.getValue())).append('\n');
    return text.toString();
  }

  /** Parses {@code text}; throws {@link IllegalArgumentException} saying what is wrong. */
  static Checkpoint parse(String text) {
    int crcLine = text.lastIndexOf("crc32 ");
    if (crcLine < 0 || !text.endsWith("\n")) {
      throw new IllegalArgumentException("no checksum line (truncated?)");
    }
    byte[] body = text.substring(0, crcLine).getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    crc.update(body, 0, body.length);
    String expected = text.substring(crcLine + 6, text.length() - 1).trim();
    if (!Long.toHexString(crc.getValue()).equals(expected)) {
      throw new IllegalArgumentException("checksum mismatch");
    }
    String[] lines = text.substring(0, crcLine).split("\n", -1);
    if (lines.length < 2 || !lines[0].equals(HEADER)) {
      throw new IllegalArgumentException("unknown header");
    }
    if (!lines[1].startsWith("watermark ")) {
      throw new IllegalArgumentException("line 2: no watermark");
    }
    String watermark = lines[1].substring("watermark ".length());
    List<FileEntry> files = new ArrayList<>();
    for (int i = 2; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        continue;
      }
      String[] parts = lines[i].split(" ");
      if (parts.length < 3 || !parts[0].equals("file")) {
        throw new IllegalArgumentException("line " + (i + 1) + ": not a file entry");
      }
      try {
        long before = parts[2].equals("max") ? Long.MAX_VALUE : Long.parseLong(parts[2]);
        Set<Long> after = new TreeSet<>();
        for (int p = 3; p < parts.length; p++) {
          after.add(Long.parseLong(parts[p]));
        }
        files.add(new FileEntry(parts[1], before, after));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": bad number", e);
      }
    }
    return new Checkpoint(watermark.equals("-") ? null : watermark, files);
  }

  /**
   * Reads the checkpoint in {@code directory}: {@link #EMPTY} if there is none, {@code null} if it
   * is damaged (the reason goes to {@code problem[0]}).
   */
  static Checkpoint read(Path directory, String[] problem) {
    Path path = directory.resolve(FILE_NAME);
    try {
      if (Files.isSymbolicLink(path)) {
        problem[0] = path + " is a symbolic link";
        return null;
      }
      if (Files.size(path) > MAX_BYTES) {
        problem[0] = path + " is larger than " + MAX_BYTES + " bytes";
        return null;
      }
      return parse(new String(Files.readAllBytes(path), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return EMPTY;
    } catch (IOException | IllegalArgumentException e) {
      problem[0] = path + ": " + e.getMessage();
      return null;
    }
  }

  /**
   * Replaces the checkpoint in {@code directory} atomically; {@code force} forces the new content
   * to disk before the rename.
   */
  void write(Path directory, Storage storage, boolean force) throws IOException {
    Path temporary = directory.resolve(TEMPORARY_NAME);
    ByteBuffer bytes = ByteBuffer.wrap(format().getBytes(StandardCharsets.UTF_8));
    try (FileChannel channel = storage.openTemporary(temporary)) {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      if (force) {
        channel.force(false);
      }
    }
    storage.replace(temporary, directory.resolve(FILE_NAME));
  }
}
