package io.github.otlpfile.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a main class of the test classpath, with its output lines collected and its
 * standard input open for lines; and the pieces of a child JVM's command line that tests share: the
 * {@code java} of this JVM, quick start-up, the OpenTelemetry Java agent and an application class
 * path that holds only the OpenTelemetry API.
 */
public final class ChildJvm implements AutoCloseable {
  /** C1 only: quick start-up matters more than peak speed for short-lived children. */
  public static final String QUICK_START = "-XX:TieredStopAtLevel=1";

  private static final String END = "\u0000end";

  private final Process process;
  private final PrintWriter input;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Thread reader;

  private ChildJvm(Process process) {
    this.process = process;
    this.input =
        new PrintWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
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

  /** Starts {@code mainClass} with quick start-up and a 128 MiB heap. */
  public static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
    return start(List.of(QUICK_START, "-Xmx128m"), mainClass, args);
  }

  /** Starts {@code mainClass} with exactly {@code jvmOptions}; its errors go to this JVM's. */
  public static ChildJvm start(List<String> jvmOptions, Class<?> mainClass, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    return new ChildJvm(builder.start());
  }

  /** Waits for the next line of output; fails if none comes within {@code timeout}. */
  public String nextLine(Duration timeout) throws InterruptedException {
    String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new AssertionError("the child printed nothing within " + timeout);
    }
    return line == END ? null : line;
  }

  /** Every line the child printed, once its output has ended. */
  public List<String> remainingLines(Duration timeout) throws InterruptedException {
    List<String> rest = new ArrayList<>();
    String line;
    while ((line = nextLine(timeout)) != null) {
      rest.add(line);
    }
    return rest;
  }

  /** Writes {@code line} to the child's standard input. */
  public void send(String line) {
    input.println(line);
  }

  public Process process() {
    return process;
  }

  /** Kills the child with SIGKILL and waits for it to be gone. */
  public void kill() throws InterruptedException {
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
    input.close();
    reader.join(TimeUnit.SECONDS.toMillis(30));
  }

  /** The {@code java} command of the JVM running the tests. */
  public static String java() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The options that attach the OpenTelemetry Java agent the build copied (failing when it is
   * missing) with only its API bridge on, as fewer instrumentations start faster.
   */
  public static List<String> javaagentOptions() {
    Path agent = Paths.get(System.getProperty("otlpfile.test.javaagent", "missing"));
    assertThat(agent).as("the agent jar copied by the build").isRegularFile();
    return Arrays.asList(
        "-javaagent:" + agent,
        "-Dotel.instrumentation.common.default-enabled=false",
        "-Dotel.instrumentation.opentelemetry-api.enabled=true");
  }

  /**
   * A class path of {@code application}'s classes and the OpenTelemetry API it is written against,
   * and nothing else: what an application under the Java agent has.
   */
  public static String apiClassPath(Class<?> application) {
    List<String> entries = new ArrayList<>();
    entries.add(location(application));
    entries.add(location(io.opentelemetry.api.OpenTelemetry.class));
    entries.add(location(io.opentelemetry.context.Context.class));
    try {
      // The API's own dependency since 1.64; absent before.
      entries.add(location(Class.forName("io.opentelemetry.common.ComponentLoader")));
    } catch (ClassNotFoundException e) {
      // an older API without it
    }
    return String.join(File.pathSeparator, entries);
  }

  private static String location(Class<?> type) {
    try {
      return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs {@code builder} to its end with its output and errors in {@code log}, and asserts that it
   * exited with status 0 within {@code timeout} (killing it otherwise).
   *
   * @return what it printed
   */
  public static String runToSuccess(ProcessBuilder builder, Path log, Duration timeout)
      throws IOException, InterruptedException {
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return awaitSuccess(builder.start(), log, timeout);
  }

  /**
   * Waits for {@code process}, whose output and errors go to {@code log}, and asserts that it
   * exited with status 0 within {@code timeout} (killing it otherwise).
   *
   * @return what it printed
   */
  public static String awaitSuccess(Process process, Path log, Duration timeout)
      throws InterruptedException {
    boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!exited) {
      process.destroyForcibly();
    }
    String output;
    try {
      output = Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(exited).as("the child exits; its output:%n%s", output).isTrue();
    assertThat(process.exitValue()).as("exit status; output:%n%s", output).isZero();
    return output;
  }
}
