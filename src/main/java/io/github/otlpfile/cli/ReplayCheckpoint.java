package io.github.otlpfile.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * What {@code otlp-file replay} has delivered: for each file, how many of its records (from the
 * start, in reading order) the endpoint acknowledged, or rejected for good when the replay was told
 * to go on past rejections. Saved after every acknowledged record by writing a temporary file
 * beside it, forcing it to disk, and renaming it over the old one, so a crash leaves either the old
 * or the new checkpoint, never a torn one.
 *
 * <p>A file is known by its absolute path without a {@code .gz} suffix, so a file that the exporter
 * compressed after it was closed keeps its place. The checkpoint also names the endpoint and the
 * protocol it was written for; a checkpoint for another endpoint is refused. The text ends with a
 * CRC-32 of everything before it, so a damaged file is recognised and refused, not half-used.
 *
 * <p>Not thread-safe: the replay loop owns it.
 */
final class ReplayCheckpoint {
  private static final String MAGIC = "otlp-file-replay-checkpoint 1";
  static final String DEFAULT_NAME_PREFIX = ".otlp-file-replay-";

  private final Path path;
  private final String endpoint;
  private final String protocol;
  // File key -> records done, in the order the files were first reached.
  private final Map<String, Long> done = new LinkedHashMap<>();

  private ReplayCheckpoint(Path path, String endpoint, String protocol) {
    this.path = path;
    this.endpoint = endpoint;
    this.protocol = protocol;
  }

  /**
   * The default place of the checkpoint of a replay of {@code firstPath} to {@code endpoint}: a
   * hidden file in the folder given (or in the folder of the file given), which the reader and the
   * exporters' retention never take for data. Its name holds a short hash of the protocol and the
   * endpoint, so replays of one folder to two endpoints keep apart.
   */
  static Path defaultPath(Path firstPath, String protocol, String endpoint) {
    Path absolute = firstPath.toAbsolutePath().normalize();
    Path folder = Files.isDirectory(absolute) ? absolute : absolute.getParent();
    return folder.resolve(
        DEFAULT_NAME_PREFIX + shortHash(protocol + " " + endpoint) + ".checkpoint");
  }

  /** A checkpoint for a replay from the start, not yet saved. */
  static ReplayCheckpoint empty(Path path, String endpoint, String protocol) {
    return new ReplayCheckpoint(path, endpoint, protocol);
  }

  /**
   * Loads the checkpoint at {@code path}, or returns an empty one if there is none.
   *
   * @throws IOException if it cannot be read
   * @throws IllegalStateException if it is damaged, not a checkpoint, or written for another
   *     endpoint or protocol; the message names the file and says what to do
   */
  static ReplayCheckpoint load(Path path, String endpoint, String protocol) throws IOException {
    ReplayCheckpoint checkpoint = new ReplayCheckpoint(path, endpoint, protocol);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      return checkpoint;
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    int end = text.lastIndexOf("\nend ");
    if (!text.startsWith(MAGIC + "\n") || end < 0) {
      throw damaged(path, "it is not a replay checkpoint or it is incomplete");
    }
    String body = text.substring(0, end + 1);
    String trailer = text.substring(end + 5).trim();
    if (!trailer.equals(crc(body))) {
      throw damaged(path, "its checksum does not match");
    }
    String[] lines = body.split("\n");
    String savedEndpoint = null;
    String savedProtocol = null;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.startsWith("endpoint ")) {
        savedEndpoint = unescape(line.substring(9));
      } else if (line.startsWith("protocol ")) {
        savedProtocol = line.substring(9);
      } else if (line.startsWith("file ")) {
        int space = line.indexOf(' ', 5);
        long records;
        try {
          records = space < 0 ? -1 : Long.parseLong(line.substring(5, space));
        } catch (NumberFormatException e) {
          records = -1;
        }
        if (records < 0) {
          throw damaged(path, "line " + (i + 1) + " is not a file entry");
        }
        checkpoint.done.put(unescape(line.substring(space + 1)), records);
      } else if (!line.isEmpty()) {
        throw damaged(path, "line " + (i + 1) + " is not understood");
      }
    }
    if (!endpoint.equals(savedEndpoint) || !protocol.equals(savedProtocol)) {
      throw new IllegalStateException(
          "checkpoint "
              + path
              + " belongs to a replay to "
              + savedEndpoint
              + " ("
              + savedProtocol
              + "), not to "
              + endpoint
              + " ("
              + protocol
              + "); pass --checkpoint with another file, or --restart to start over");
    }
    return checkpoint;
  }

  private static IllegalStateException damaged(Path path, String reason) {
    return new IllegalStateException(
        "checkpoint "
            + path
            + " is damaged ("
            + reason
            + "); delete it to replay everything again, or pass --restart");
  }

  Path getPath() {
    return path;
  }

  /** Records of {@code file} already delivered, from its first record on. */
  long recordsDone(Path file) {
    Long records = done.get(key(file));
    return records == null ? 0 : records;
  }

  /** Notes that the first {@code records} records of {@code file} are done. */
  void setRecordsDone(Path file, long records) {
    done.put(key(file), records);
  }

  /** Saves the checkpoint: temporary file, forced to disk, renamed over the old one. */
  void save() throws IOException {
    StringBuilder text = new StringBuilder(MAGIC).append('\n');
    text.append("endpoint ").append(escape(endpoint)).append('\n');
    text.append("protocol ").append(protocol).append('\n');
    for (Map.Entry<String, Long> entry : done.entrySet()) {
      text.append("file ").append(entry.getValue()).append(' ').append(escape(entry.getKey()));
      text.append('\n');
    }
    String body = text.toString();
    byte[] bytes = (body + "end " + crc(body) + "\n").getBytes(StandardCharsets.UTF_8);
    Path folder = path.toAbsolutePath().getParent();
    if (folder != null) {
      Files.createDirectories(folder);
    }
    Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
    Set<StandardOpenOption> options =
        EnumSet.of(
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
    boolean posix = temporary.getFileSystem().supportedFileAttributeViews().contains("posix");
    // Owner read/write only, like the data files: it names the files and the endpoint.
    FileAttribute<?>[] attributes =
        posix
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            }
            : new FileAttribute<?>[0];
    try (FileChannel channel = FileChannel.open(temporary, options, attributes)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    try {
      Files.move(
          temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static String key(Path file) {
    String name = file.toAbsolutePath().normalize().toString();
    return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
  }

  // Paths and URLs on one line: '%' and line ends are percent-escaped.
  private static String escape(String text) {
    return text.replace("%", "%25").replace("\n", "%0A").replace("\r", "%0D");
  }

  private static String unescape(String text) {
    return text.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%");
  }

  private static String crc(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return String.format(Locale.ROOT, "%08x", crc.getValue());
  }

  private static String shortHash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder();
      for (int i = 0; i < 4; i++) {
        hex.append(String.format(Locale.ROOT, "%02x", digest[i] & 0xff));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
