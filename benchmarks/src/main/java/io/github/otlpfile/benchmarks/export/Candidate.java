package io.github.otlpfile.benchmarks.export;

import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.internal.encode.EncodedBuffer;
import io.opentelemetry.contrib.disk.buffering.storage.impl.FileStorageConfiguration;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One exporter under test, by name:
 *
 * <ul>
 *   <li>{@code ours_jsonl}, {@code ours_protobuf}, {@code ours_protobuf_gzip}: our exporter with
 *       the library defaults apart from {@code Durability.NONE};
 *   <li>{@code stdout}, {@code stdout_reusable}: {@code OtlpStdout*Exporter} writing JSON lines to
 *       a {@code BufferedOutputStream} over a {@code FileOutputStream}, in {@code IMMUTABLE_DATA}
 *       or {@code REUSABLE_DATA} memory mode;
 *   <li>{@code contrib}, {@code contrib_64m}: contrib disk-buffering with its default storage
 *       configuration (1 MiB files in a 10 MiB folder) or with 64 MiB files (as ours) in a 256 MiB
 *       folder;
 *   <li>{@code limit_json}, {@code limit_json_lowalloc}, {@code limit_binary}, {@code
 *       limit_binary_lowalloc}: the OTLP marshaler alone writing into a stream that discards the
 *       bytes, regular or low-allocation. No file exporter can beat its own encoder.
 *   <li>{@code limit_json_file}, {@code limit_binary_file}: the low-allocation marshaler writing
 *       each batch as one record into a direct buffer, then into a file with one {@code write} on
 *       the caller's thread (64 MiB files, as ours): encoding plus one write of its bytes, the
 *       least CPU any file exporter can spend, and what an exporter that writes on its own thread
 *       is measured against for what its hand-off costs.
 *   <li>{@code limit_json_handoff}, {@code limit_binary_handoff}: the same, except that the write
 *       is done by one other thread, woken for it and parked in between, which then completes the
 *       result: the least an exporter that keeps file I/O off the caller's thread can spend.
 * </ul>
 *
 * Files go into a fresh directory; closed files are deleted between iterations so that the disk use
 * of a long run stays bounded and the page cache does not fill with dirty pages.
 */
abstract class Candidate<T> {
  static final long OUR_MAX_FILE_SIZE = 64L * 1024 * 1024;

  private static final int SCRATCH_BATCHES = 4;

  /** Exports one batch; the result completes when the candidate says the batch is done. */
  abstract CompletableResultCode export(List<T> batch);

  /** Housekeeping between measurement iterations, outside the measured time. */
  void afterIteration() throws IOException {}

  abstract void close() throws IOException;

  static <T> Candidate<T> create(SignalKind<T> signal, String name, Path directory)
      throws IOException {
    switch (name) {
      case "ours_jsonl":
        return new Ours<>(signal, directory, OtlpFileFormat.JSON_LINES, false);
      case "ours_protobuf":
        return new Ours<>(signal, directory, OtlpFileFormat.PROTOBUF, false);
      case "ours_protobuf_gzip":
        return new Ours<>(signal, directory, OtlpFileFormat.PROTOBUF, true);
      case "stdout":
        return new Stdout<>(signal, directory, MemoryMode.IMMUTABLE_DATA);
      case "stdout_reusable":
        return new Stdout<>(signal, directory, MemoryMode.REUSABLE_DATA);
      case "contrib":
        return new Contrib<>(signal, directory, FileStorageConfiguration.getDefault());
      case "contrib_64m":
        return new Contrib<>(
            signal,
            directory,
            FileStorageConfiguration.builder()
                .setMaxFileSize((int) OUR_MAX_FILE_SIZE)
                .setMaxFolderSize((int) (4 * OUR_MAX_FILE_SIZE))
                .build());
      case "limit_json":
        return new Limit<>(signal, true, false);
      case "limit_json_lowalloc":
        return new Limit<>(signal, true, true);
      case "limit_binary":
        return new Limit<>(signal, false, false);
      case "limit_binary_lowalloc":
        return new Limit<>(signal, false, true);
      case "limit_json_file":
        return new LimitFile<>(signal, directory, true);
      case "limit_binary_file":
        return new LimitFile<>(signal, directory, false);
      case "limit_json_handoff":
        return new LimitHandOff<>(new LimitFile<>(signal, directory, true));
      case "limit_binary_handoff":
        return new LimitHandOff<>(new LimitFile<>(signal, directory, false));
      default:
        throw new IllegalArgumentException("unknown exporter " + name);
    }
  }

  /**
   * The bytes one batch adds to the output, measured by writing a few batches with a fresh instance
   * of the same candidate (without compression) and adding up the file sizes.
   */
  static <T> long bytesPerBatch(SignalKind<T> signal, String name, List<T> batch, Path scratch)
      throws IOException {
    String plain = name.endsWith("_gzip") ? name.substring(0, name.length() - 5) : name;
    if (plain.startsWith("limit_") && !plain.endsWith("_file") && !plain.endsWith("_handoff")) {
      Limit<T> limit = (Limit<T>) create(signal, plain, scratch);
      limit.sink.count = 0;
      limit.export(batch);
      return limit.sink.count;
    }
    Candidate<T> candidate = create(signal, plain, scratch);
    for (int i = 0; i < SCRATCH_BATCHES; i++) {
      join(candidate.export(batch), plain);
    }
    candidate.close();
    long total;
    try (Stream<Path> files = Files.walk(scratch)) {
      total =
          files
              .filter(Files::isRegularFile)
              .mapToLong(
                  p -> {
                    try {
                      return Files.size(p);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  })
              .sum();
    }
    deleteTree(scratch);
    return total / SCRATCH_BATCHES;
  }

  static void join(CompletableResultCode result, String what) {
    if (!result.join(60, TimeUnit.SECONDS).isSuccess()) {
      throw new IllegalStateException(
          what + ": export " + (result.isDone() ? "failed" : "did not complete in 60 s"));
    }
  }

  /** Deletes all but the {@code keep} newest files of {@code folder} (names sort by age). */
  static void deleteAllButNewest(Path folder, int keep) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.sorted().collect(Collectors.toList());
    }
    for (int i = 0; i < files.size() - keep; i++) {
      Files.deleteIfExists(files.get(i));
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static final class Ours<T> extends Candidate<T> {
    private final BatchExporter<T> exporter;
    private final Path signalDirectory;

    Ours(SignalKind<T> signal, Path directory, OtlpFileFormat format, boolean gzip) {
      this.exporter = signal.ours(directory, format, gzip);
      this.signalDirectory = directory.resolve(signal.name);
    }

    @Override
    CompletableResultCode export(List<T> batch) {
      return exporter.export(batch);
    }

    /**
     * Deletes all but the two newest files (names sort by creation time); the newest may still be
     * open, the one before may still be being compressed.
     */
    @Override
    void afterIteration() throws IOException {
      deleteAllButNewest(signalDirectory, 2);
    }

    @Override
    void close() throws IOException {
      exporter.shutdown();
    }
  }

  private static final class Stdout<T> extends Candidate<T> {
    private final SignalKind<T> signal;
    private final Path directory;
    private final MemoryMode memoryMode;
    private BatchExporter<T> exporter;
    private Path file;
    private int files;

    Stdout(SignalKind<T> signal, Path directory, MemoryMode memoryMode) throws IOException {
      this.signal = signal;
      this.directory = directory;
      this.memoryMode = memoryMode;
      open();
    }

    private void open() throws IOException {
      Files.createDirectories(directory);
      file = directory.resolve(signal.name + "-" + (++files) + ".jsonl");
      OutputStream out = new BufferedOutputStream(new FileOutputStream(file.toFile()));
      exporter = signal.stdout(out, memoryMode);
    }

    @Override
    CompletableResultCode export(List<T> batch) {
      return exporter.export(batch);
    }

    /** A new file per iteration; its shutdown closes the stream. */
    @Override
    void afterIteration() throws IOException {
      exporter.shutdown();
      Files.deleteIfExists(file);
      open();
    }

    @Override
    void close() throws IOException {
      exporter.shutdown();
    }
  }

  private static final class Contrib<T> extends Candidate<T> {
    private final BatchExporter<T> exporter;

    Contrib(SignalKind<T> signal, Path directory, FileStorageConfiguration configuration)
        throws IOException {
      Path folder = Files.createDirectories(directory.resolve(signal.name));
      this.exporter = signal.contrib(folder.toFile(), configuration);
    }

    @Override
    CompletableResultCode export(List<T> batch) {
      return exporter.export(batch);
    }

    @Override
    void close() throws IOException {
      exporter.shutdown();
    }
  }

  private static final class Limit<T> extends Candidate<T> {
    private final SignalKind<T> signal;
    private final boolean json;
    private final SignalKind.LowAllocation<T> lowAllocation;
    final CountingSink sink = new CountingSink();

    Limit(SignalKind<T> signal, boolean json, boolean lowAllocation) {
      this.signal = signal;
      this.json = json;
      this.lowAllocation = lowAllocation ? signal.lowAllocation() : null;
    }

    @Override
    CompletableResultCode export(List<T> batch) {
      try {
        if (lowAllocation == null) {
          write(signal.marshaler(batch));
        } else {
          try {
            write(lowAllocation.initialize(batch));
          } finally {
            lowAllocation.reset();
          }
        }
        return CompletableResultCode.ofSuccess();
      } catch (IOException e) {
        return CompletableResultCode.ofExceptionalFailure(e);
      }
    }

    /** The same framing as our files: a newline after JSON, a length before binary. */
    private void write(Marshaler marshaler) throws IOException {
      if (json) {
        marshaler.writeJsonTo(sink); // closes the stream; the sink ignores that
        sink.write('\n');
      } else {
        int size = marshaler.getBinarySerializedSize();
        sink.write(size >>> 24);
        sink.write(size >>> 16);
        sink.write(size >>> 8);
        sink.write(size);
        marshaler.writeBinaryTo(sink);
      }
    }

    @Override
    void close() {}
  }

  /**
   * Encoding plus one write: the low-allocation marshaler writes a batch's record into a direct
   * buffer (one copy, as a {@code FileChannel} needs direct memory), which goes to the file in one
   * {@code write} on the caller's thread. A new file every {@link #OUR_MAX_FILE_SIZE}.
   */
  private static final class LimitFile<T> extends Candidate<T> {
    private final boolean json;
    private final SignalKind.LowAllocation<T> lowAllocation;
    private final Path folder;
    // The library's own buffer: direct memory, so that the channel writes it without a copy.
    private final EncodedBuffer sink = new EncodedBuffer(1 << 20);
    private FileChannel channel;
    private long written;
    private int files;

    LimitFile(SignalKind<T> signal, Path directory, boolean json) throws IOException {
      this.json = json;
      this.lowAllocation = signal.lowAllocation();
      this.folder = Files.createDirectories(directory.resolve(signal.name));
      open();
    }

    private void open() throws IOException {
      Path file = folder.resolve(String.format("%08d", ++files) + (json ? ".jsonl" : ".binpb"));
      channel =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND);
      written = 0;
    }

    @Override
    CompletableResultCode export(List<T> batch) {
      try {
        encode(batch);
        write();
        return CompletableResultCode.ofSuccess();
      } catch (IOException e) {
        return CompletableResultCode.ofExceptionalFailure(e);
      }
    }

    void encode(List<T> batch) throws IOException {
      sink.reset();
      try {
        Marshaler marshaler = lowAllocation.initialize(batch);
        if (json) {
          marshaler.writeJsonTo(sink);
          sink.write('\n');
        } else {
          int size = marshaler.getBinarySerializedSize();
          sink.writeInt(size);
          marshaler.writeBinaryTo(sink);
        }
      } finally {
        lowAllocation.reset();
      }
    }

    void write() throws IOException {
      if (written + sink.size() > OUR_MAX_FILE_SIZE) {
        channel.close();
        open();
      }
      ByteBuffer bytes = sink.asByteBuffer();
      while (bytes.hasRemaining()) {
        written += channel.write(bytes);
      }
    }

    /** Deletes every file but the open one. */
    @Override
    void afterIteration() throws IOException {
      deleteAllButNewest(folder, 1);
    }

    @Override
    void close() throws IOException {
      channel.close();
    }
  }

  /**
   * {@link LimitFile} with its writes done by one other thread: the caller encodes, hands the
   * buffer over through a slot and unparks the writer, which writes, completes the result and parks
   * again. One batch at a time, as {@code exportAndWait} waits for each result before the next.
   */
  private static final class LimitHandOff<T> extends Candidate<T> {
    private final LimitFile<T> file;
    private final AtomicReference<CompletableResultCode> slot = new AtomicReference<>();
    private final Thread writer;
    private volatile boolean closed;

    LimitHandOff(LimitFile<T> file) {
      this.file = file;
      this.writer = new Thread(this::run, "limit-handoff-writer");
      writer.setDaemon(true);
      writer.start();
    }

    @Override
    CompletableResultCode export(List<T> batch) {
      try {
        file.encode(batch);
      } catch (IOException e) {
        return CompletableResultCode.ofExceptionalFailure(e);
      }
      CompletableResultCode result = new CompletableResultCode();
      slot.set(result);
      LockSupport.unpark(writer);
      return result;
    }

    private void run() {
      while (!closed) {
        CompletableResultCode result = slot.getAndSet(null);
        if (result == null) {
          LockSupport.park(this);
          continue;
        }
        try {
          file.write();
          result.succeed();
        } catch (IOException e) {
          result.failExceptionally(e);
        }
      }
    }

    @Override
    void afterIteration() throws IOException {
      file.afterIteration();
    }

    @Override
    void close() throws IOException {
      closed = true;
      LockSupport.unpark(writer);
      try {
        writer.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      file.close();
    }
  }

  /** Discards what it is given but counts it, so the encoding cannot be optimised away. */
  static final class CountingSink extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }

    @Override
    public void close() {}
  }
}
