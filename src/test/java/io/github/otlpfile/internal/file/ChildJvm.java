package io.github.otlpfile.internal.file;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A child JVM running a main class of the test classpath, with its output lines collected. */
final class ChildJvm implements AutoCloseable {
  private static final String END = "\u0000end";

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Thread reader;

  private ChildJvm(Process process) {
    this.process = process;
    this.reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // The child was killed; what it printed so far is in the queue.
              } finally {
                lines.add(END);
              }
            },
            "child-jvm-output");
    reader.setDaemon(true);
    reader.start();
  }

  static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    // Quick start-up matters more than peak speed for these short-lived children.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Xmx128m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    return new ChildJvm(builder.start());
  }

  /** Waits for the next line of output; fails if none comes within {@code timeout}. */
  String nextLine(Duration timeout) throws InterruptedException {
    String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new AssertionError("the child printed nothing within " + timeout);
    }
    return line == END ? null : line;
  }

  /** Every line the child printed, once its output has ended. */
  List<String> remainingLines(Duration timeout) throws InterruptedException {
    List<String> rest = new ArrayList<>();
    String line;
    while ((line = nextLine(timeout)) != null) {
      rest.add(line);
    }
    return rest;
  }

  Process process() {
    return process;
  }

  /** Kills the child with SIGKILL and waits for it to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the child did not die");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
    reader.join(TimeUnit.SECONDS.toMillis(30));
  }
}
