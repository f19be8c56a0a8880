package io.github.otlpfile.internal.file;

import io.github.otlpfile.Compression;
import io.github.otlpfile.Durability;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.OtlpFileSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Run in a child JVM that the test kills: exports spans through the real exporter as fast as it can
 * from a few threads, with {@link Durability#EVERY_WRITE} and small files, and prints {@code ok
 * <batch>;} for every export whose result has reported success. Arguments: directory, run id,
 * format, compression.
 */
public final class CrashingWriterMain {
  static final int THREADS = 3;
  static final int SPANS_PER_BATCH = 20;
  static final long MAX_FILE_SIZE = 16 * 1024;

  private CrashingWriterMain() {}

  public static void main(String[] args) throws Exception {
    OtlpFileSpanExporter exporter =
        OtlpFileSpanExporter.builder()
            .setDirectory(Paths.get(args[0]))
            .setFormat(OtlpFileFormat.valueOf(args[2]))
            .setCompression(Compression.valueOf(args[3]))
            .setDurability(Durability.EVERY_WRITE)
            .setMaxFileSize(MAX_FILE_SIZE)
            .setMaxFiles(Integer.MAX_VALUE)
            .setMaxTotalSize(Long.MAX_VALUE)
            .setMaxAge(Duration.ofDays(3650))
            .build();
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    String run = args[1];
    out.println("ready");
    out.flush();
    Thread[] threads = new Thread[THREADS];
    for (int t = 0; t < THREADS; t++) {
      String prefix = "r" + run + "-t" + t + "-b";
      threads[t] =
          new Thread(
              () -> {
                for (int b = 0; ; b++) {
                  String batch = prefix + b;
                  CompletableResultCode result =
                      exporter.export(TestSpans.batch(batch, SPANS_PER_BATCH));
                  if (result.join(30, TimeUnit.SECONDS).isSuccess()) {
                    synchronized (out) {
                      out.println("ok " + batch + ";");
                      out.flush();
                    }
                  }
                }
              });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }
}
