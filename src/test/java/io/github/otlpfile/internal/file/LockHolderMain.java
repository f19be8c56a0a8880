package io.github.otlpfile.internal.file;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * Run in a child JVM: locks the file named by its argument the way a writer locks its active file,
 * prints {@code locked}, and holds the lock until its standard input ends.
 */
public final class LockHolderMain {
  private LockHolderMain() {}

  public static void main(String[] args) throws Exception {
    try (FileChannel channel = FileChannel.open(Paths.get(args[0]), StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      System.out.println("locked " + lock.isValid());
      System.out.flush();
      while (System.in.read() >= 0) {
        // Hold the lock until the parent closes our input.
      }
    }
  }
}
