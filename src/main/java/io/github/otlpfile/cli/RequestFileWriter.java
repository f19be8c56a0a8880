package io.github.otlpfile.cli;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.internal.file.FileNames;
import io.github.otlpfile.read.OtlpSignal;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.zip.GZIPOutputStream;

/**
 * Writes requests of one signal into {@code {directory}/{signal}/} as the exporters lay out their
 * files: {@code {signal}-{created}-{instance}-{seq}.{jsonl|binpb}[.gz]}, each file created new
 * (owner read/write only on POSIX), a record never split across files, a new file when the next
 * record would take the current one over the size limit (counted before compression).
 *
 * <p>Not thread-safe.
 */
final class RequestFileWriter implements Closeable {
  private static final int BUFFER_BYTES = 256 * 1024;

  private final Path folder;
  private final OtlpSignal signal;
  private final OtlpFileFormat format;
  private final boolean gzip;
  private final long maxFileBytes;
  private final String instanceId = FileNames.newInstanceId();
  private long seq;
  private long lastCreatedNanos;
  private int filesCreated;

  private CountingStream counted;
  private OutputStream out;
  private CodedOutputStream coded;
  // JSON lines are made here, then copied to the file.
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(64 * 1024);
  private final OtlpJsonWriter json;

  RequestFileWriter(
      Path directory, OtlpSignal signal, OtlpFileFormat format, boolean gzip, long maxFileBytes) {
    this.folder = directory.resolve(signal.getDirectoryName());
    this.signal = signal;
    this.format = format;
    this.gzip = gzip;
    this.maxFileBytes = maxFileBytes;
    try {
      this.json = format == OtlpFileFormat.JSON_LINES ? OtlpJsonWriter.to(line) : null;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Writes one request as one record. */
  void write(Message request) throws IOException {
    long recordBytes;
    if (format == OtlpFileFormat.PROTOBUF) {
      recordBytes = 4L + request.getSerializedSize();
    } else {
      // The line is made first, to know its size before choosing the file.
      line.reset();
      json.writeLine(request);
      json.flush();
      recordBytes = line.size();
    }
    if (out != null && counted.count > 0 && counted.count + recordBytes > maxFileBytes) {
      closeFile();
    }
    if (out == null) {
      openFile();
    }
    if (format == OtlpFileFormat.PROTOBUF) {
      coded.writeFixed32NoTag(Integer.reverseBytes(request.getSerializedSize()));
      request.writeTo(coded);
      coded.flush();
    } else {
      line.writeTo(counted);
    }
  }

  int getFilesCreated() {
    return filesCreated;
  }

  /** Records written as JSON that had fields unknown to this version's proto. */
  long getUnknownFieldMessages() {
    return json == null ? 0 : json.getUnknownFieldMessages();
  }

  private void openFile() throws IOException {
    Files.createDirectories(folder);
    long now = System.currentTimeMillis() * 1_000_000L;
    // Names sort by creation time: never reuse or go below the last one's millisecond.
    if (now <= lastCreatedNanos) {
      now = lastCreatedNanos;
    }
    lastCreatedNanos = now;
    String name =
        FileNames.fileName(
            signal.getDirectoryName(),
            now,
            instanceId,
            ++seq,
            format == OtlpFileFormat.PROTOBUF ? "binpb" : "jsonl");
    Path file = folder.resolve(gzip ? FileNames.compressedName(name) : name);
    OutputStream raw =
        Channels.newOutputStream(Files.newByteChannel(file, createOptions(), attributes()));
    filesCreated++;
    OutputStream sink = gzip ? new GZIPOutputStream(raw, BUFFER_BYTES) : raw;
    counted = new CountingStream(new BufferedOutputStream(sink, BUFFER_BYTES));
    out = counted;
    if (format == OtlpFileFormat.PROTOBUF) {
      coded = CodedOutputStream.newInstance(out, 64 * 1024);
    }
  }

  private static EnumSet<StandardOpenOption> createOptions() {
    return EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  private static FileAttribute<?>[] attributes() {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[] {
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
      };
    }
    return new FileAttribute<?>[0];
  }

  private void closeFile() throws IOException {
    if (out == null) {
      return;
    }
    if (coded != null) {
      coded.flush();
      coded = null;
    }
    out.close();
    out = null;
    counted = null;
  }

  @Override
  public void close() throws IOException {
    closeFile();
  }

  /** Counts the bytes written through it. */
  private static final class CountingStream extends FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
