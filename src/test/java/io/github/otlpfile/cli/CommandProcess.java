package io.github.otlpfile.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code otlp-file} in a child JVM on the test class path, as a user runs it: its standard output
 * lines arrive in a queue, its standard error lines are kept.
 */
final class CommandProcess implements AutoCloseable {
  private static final String END = "\u0000end";

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> allOut = new CopyOnWriteArrayList<>();
  private final List<String> errLines = new CopyOnWriteArrayList<>();
  private final Thread outReader;
  private final Thread errReader;

  private CommandProcess(Process process) {
    this.process = process;
    this.outReader =
        drain(
            process.getInputStream(),
            line -> {
              allOut.add(line);
              lines.add(line);
            },
            () -> lines.add(END));
    this.errReader = drain(process.getErrorStream(), errLines::add, () -> {});
  }

  static CommandProcess start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(OtlpFileCommand.class.getName());
    command.addAll(List.of(args));
    return new CommandProcess(new ProcessBuilder(command).start());
  }

  private static Thread drain(
      InputStream stream, java.util.function.Consumer<String> sink, Runnable atEnd) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  sink.accept(line);
                }
              } catch (IOException e) {
                // the child is gone; what it printed is kept
              } finally {
                atEnd.run();
              }
            },
            "otlp-file-child-output");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** The next line of standard output that starts with {@code prefix}; fails after timeout. */
  String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError(
            "no line starting with '" + prefix + "' within " + timeout + "; stderr: " + errLines);
      }
      if (line == END) {
        throw new AssertionError(
            "the command ended without a line starting with '" + prefix + "'; stderr: " + errLines);
      }
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  /** Waits for the process to end and returns its exit status. */
  int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the command did not end within " + timeout);
    }
    outReader.join(TimeUnit.SECONDS.toMillis(10));
    errReader.join(TimeUnit.SECONDS.toMillis(10));
    return process.exitValue();
  }

  Process process() {
    return process;
  }

  List<String> out() {
    return new ArrayList<>(allOut);
  }

  List<String> err() {
    return new ArrayList<>(errLines);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
