package io.github.otlpfile.internal.forward;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * Run as its own process: holds an exclusive lock on the file named by its argument, as another
 * process's writer holds its active file, until its standard input closes.
 */
final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws IOException {
    try (FileChannel channel =
            FileChannel.open(
                Paths.get(args[0]), StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      System.out.println("locked " + lock.isValid());
      System.out.flush();
      while (System.in.read() != -1) {
        // wait for the parent to close the pipe
      }
    }
  }
}
