package io.github.otlpfile.read;

import io.github.otlpfile.OtlpFileFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The files under the paths given to a reader, in reading order, opened one at a time. Folders are
 * listed when they are reached, so only one folder's names are held at a time per level.
 *
 * <p>Not thread-safe.
 */
final class FileWalk {
  private static final int BUFFER_BYTES = 64 * 1024;
  // How far into a file without a telling name its first bytes are looked at for its format.
  private static final int SNIFFED_BYTES = 64;
  private static final Pattern EXPORTER_NAME =
      Pattern.compile("([a-z]+)-(\\d{8}T\\d{6}\\.\\d{3}Z)-([0-9a-zA-Z]+)-(\\d{1,18})(\\..*)");

  // Entries are names in their folder's order: exporter file names by their creation time and
  // sequence number (so that -10 follows -9), any other name as it is.
  static final Comparator<Path> FILE_NAME_ORDER =
      Comparator.comparing((Path p) -> sortKey(p.getFileName().toString()));

  // Paths still to visit, in order; those given to the reader are marked, since a given path is
  // read whatever its name and may be a link, where a folder's entries must be OTLP files.
  private final Deque<Path> pending = new ArrayDeque<>();
  private final Deque<Boolean> given = new ArrayDeque<>();
  private final ProblemSink problems;

  FileWalk(List<Path> paths, ProblemSink problems) {
    this.problems = problems;
    for (Path path : paths) {
      pending.addLast(path);
      given.addLast(Boolean.TRUE);
    }
  }

  /** The next file's records, or {@code null} when every path has been read. */
  RecordSource nextSource(Set<OtlpSignal> signals, long maxRecordBytes) {
    while (!pending.isEmpty()) {
      Path path = pending.removeFirst();
      boolean explicit = given.removeFirst();
      if (explicit ? Files.isDirectory(path) : Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        expand(path);
        continue;
      }
      RecordSource source = open(path, signals, maxRecordBytes);
      if (source != null) {
        return source;
      }
    }
    return null;
  }

  private void expand(Path folder) {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      for (Path child : entries) {
        String name = child.getFileName().toString();
        if (name.startsWith(".")) {
          continue;
        }
        if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)
            || (Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS) && isOtlpFileName(child))) {
          children.add(child);
        }
      }
    } catch (IOException | RuntimeException e) {
      problems.report(
          new OtlpFileProblem(
              folder, null, 0, OtlpFileProblem.Kind.UNREADABLE_FILE, "cannot list: " + e),
          e);
    }
    children.sort(FILE_NAME_ORDER);
    for (int i = children.size() - 1; i >= 0; i--) {
      pending.addFirst(children.get(i));
      given.addFirst(Boolean.FALSE);
    }
  }

  private RecordSource open(Path file, Set<OtlpSignal> signals, long maxBytes) {
    OtlpSignal expected = signalOfName(file);
    if (expected != null && !signals.contains(expected)) {
      return null;
    }
    InputStream in = null;
    try {
      if (!Files.isRegularFile(file)) {
        String reason = Files.exists(file) ? "not a regular file" : "no such file or folder";
        problems.report(
            new OtlpFileProblem(file, null, 0, OtlpFileProblem.Kind.UNREADABLE_FILE, reason), null);
        return null;
      }
      in = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES);
      in.mark(4);
      int b0 = in.read();
      int b1 = in.read();
      in.reset();
      OtlpFileFormat format = formatOfName(file);
      if (b0 == 0x1f && b1 == 0x8b) {
        // Compressed by content, whatever the name: concatenated gzip members are read in turn.
        // Nothing that reads ahead sits on the inflater: a buffer that fills itself in several
        // reads would drop what it already had when a later read fails on damaged data.
        InputStream gzip = new GZIPInputStream(in, BUFFER_BYTES);
        if (format == null) {
          StartOfContent start = StartOfContent.read(gzip);
          format = start.format;
          in = start;
        } else {
          in = gzip;
        }
      } else if (format == null) {
        format = sniff(in);
      }
      if (format == OtlpFileFormat.JSON_LINES) {
        return new JsonLinesSource(file, in, expected, signals, maxBytes, problems);
      }
      return new BinarySource(file, in, expected, signals, maxBytes, problems);
    } catch (IOException | RuntimeException e) {
      closeQuietly(in);
      OtlpFileProblem.Kind kind =
          e instanceof java.util.zip.ZipException || e instanceof java.io.EOFException
              ? OtlpFileProblem.Kind.CORRUPT_COMPRESSION
              : OtlpFileProblem.Kind.UNREADABLE_FILE;
      String reason =
          e instanceof NoSuchFileException ? "no such file or folder" : "cannot open: " + e;
      problems.report(new OtlpFileProblem(file, formatOfName(file), 0, kind, reason), e);
      return null;
    }
  }

  /** JSON lines if the content starts like a JSON object, binary otherwise. */
  private static OtlpFileFormat sniff(InputStream in) throws IOException {
    in.mark(SNIFFED_BYTES);
    try {
      OtlpFileFormat format = null;
      for (int i = 0; i < SNIFFED_BYTES && format == null; i++) {
        format = formatOf(in.read());
      }
      return format == null ? OtlpFileFormat.JSON_LINES : format;
    } finally {
      in.reset();
    }
  }

  /** The format a content's next byte tells, or {@code null} while it tells nothing yet. */
  private static OtlpFileFormat formatOf(int b) {
    if (b == '{') {
      return OtlpFileFormat.JSON_LINES;
    }
    if (b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != 0xEF && b != 0xBB && b != 0xBF) {
      return OtlpFileFormat.PROTOBUF;
    }
    return null;
  }

  /**
   * The first bytes of a decompressed content, read one at a time to tell its format, and then the
   * rest of it. A read failure among the first bytes is thrown once the bytes before it are read.
   */
  private static final class StartOfContent extends InputStream {
    private final byte[] start;
    private final IOException failure; // met while reading the start, or null
    private final InputStream rest;
    private final OtlpFileFormat format;
    private int position;

    private StartOfContent(
        byte[] start, IOException failure, InputStream rest, OtlpFileFormat format) {
      this.start = start;
      this.failure = failure;
      this.rest = rest;
      this.format = format;
    }

    static StartOfContent read(InputStream in) {
      byte[] start = new byte[SNIFFED_BYTES];
      int length = 0;
      OtlpFileFormat format = null;
      IOException failure = null;
      try {
        while (length < SNIFFED_BYTES && format == null) {
          int b = in.read();
          if (b < 0) {
            break;
          }
          start[length++] = (byte) b;
          format = formatOf(b);
        }
      } catch (IOException e) {
        failure = e;
      } catch (RuntimeException e) {
        failure = new java.util.zip.ZipException(e.toString());
      }
      return new StartOfContent(
          java.util.Arrays.copyOf(start, length),
          failure,
          in,
          format == null ? OtlpFileFormat.JSON_LINES : format);
    }

    @Override
    public int read() throws IOException {
      if (position < start.length) {
        return start[position++] & 0xFF;
      }
      if (failure != null) {
        throw failure;
      }
      return rest.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (position < start.length) {
        int n = Math.min(length, start.length - position);
        System.arraycopy(start, position, buffer, offset, n);
        position += n;
        return n;
      }
      if (failure != null) {
        throw failure;
      }
      return rest.read(buffer, offset, length);
    }

    @Override
    public void close() throws IOException {
      rest.close();
    }
  }

  static boolean isOtlpFileName(Path file) {
    return formatOfName(file) != null;
  }

  /** The format a file's extension names (before any {@code .gz}), or {@code null}. */
  static OtlpFileFormat formatOfName(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
    }
    if (name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson")) {
      return OtlpFileFormat.JSON_LINES;
    }
    if (name.endsWith(".binpb") || name.endsWith(".pb")) {
      return OtlpFileFormat.PROTOBUF;
    }
    return null;
  }

  /**
   * The signal a file's name says: a name starting with {@code traces}, {@code metrics} or {@code
   * logs} and then {@code -}, {@code _} or {@code .}, or a parent folder of that name.
   */
  static OtlpSignal signalOfName(Path file) {
    String name = file.getFileName().toString();
    for (OtlpSignal signal : OtlpSignal.values()) {
      String prefix = signal.getDirectoryName();
      if (name.length() > prefix.length() && name.startsWith(prefix)) {
        char next = name.charAt(prefix.length());
        if (next == '-' || next == '_' || next == '.') {
          return signal;
        }
      }
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && parent.getFileName() != null) {
      return OtlpSignal.fromDirectoryName(parent.getFileName().toString());
    }
    return null;
  }

  private static String sortKey(String name) {
    Matcher m = EXPORTER_NAME.matcher(name);
    if (!m.matches()) {
      return name;
    }
    String seq = m.group(4);
    StringBuilder key = new StringBuilder(name.length() + 20);
    key.append(m.group(1)).append('-').append(m.group(2)).append('-').append(m.group(3));
    key.append('-');
    for (int i = seq.length(); i < 19; i++) {
      key.append('0');
    }
    return key.append(seq).append(m.group(5)).toString();
  }

  private static void closeQuietly(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // Only read from.
      }
    }
  }
}
