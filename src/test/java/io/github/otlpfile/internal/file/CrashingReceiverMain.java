package io.github.otlpfile.internal.file;

import io.github.otlpfile.Durability;
import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.receive.OtlpFileReceiver;
import java.nio.file.Paths;
import java.time.Duration;

/**
 * Run in a child JVM that the test kills: an {@link OtlpFileReceiver} on a free loopback port with
 * small files, printing {@code endpoint <url>} once it listens, then receiving until it is killed.
 * Arguments: directory, format, durability.
 */
public final class CrashingReceiverMain {
  static final long MAX_FILE_SIZE = 16 * 1024;

  private CrashingReceiverMain() {}

  public static void main(String[] args) throws Exception {
    OtlpFileReceiver receiver =
        OtlpFileReceiver.builder()
            .setDirectory(Paths.get(args[0]))
            .setFormat(OtlpFileFormat.valueOf(args[1]))
            .setDurability(Durability.valueOf(args[2]))
            .setMaxFileSize(MAX_FILE_SIZE)
            .setMaxFiles(Integer.MAX_VALUE)
            .setMaxTotalSize(Long.MAX_VALUE)
            .setMaxAge(Duration.ofDays(3650))
            .setHttpPort(0)
            .setGrpcPort(-1)
            .build()
            .start();
    System.out.println("endpoint " + receiver.getHttpEndpoint());
    System.out.flush();
    Thread.currentThread().join(); // until killed
  }
}
