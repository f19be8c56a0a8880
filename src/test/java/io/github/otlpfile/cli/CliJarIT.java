package io.github.otlpfile.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.otlpfile.OtlpFileFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code -cli} jar, run as a user runs it ({@code java -jar}), in a JVM of its own:
 * every class the commands need is inside, the manifest names the command, the exit statuses reach
 * the shell. Run by failsafe after {@code mvn package}.
 */
class CliJarIT {
  @TempDir Path dir;

  @Test
  void theJarRunsTheCommands() throws Exception {
    Path in = dir.resolve("in");
    CliFixture.write(in, OtlpFileFormat.PROTOBUF, true);

    Run version = java("--version");
    Run stats = java("stats", "--json", in.toString());
    Run convert = java("convert", "--to", "jsonl", in.toString(), dir.resolve("out").toString());
    Run validate = java("validate", dir.resolve("out").toString());
    Run usage = java("cat", "--no-such-option");

    assertThat(version.status).isZero();
    assertThat(version.out).matches("otlp-file \\d+\\.\\d+\\.\\d+.*\\n");
    assertThat(stats.status).as(stats.err).isZero();
    JsonNode counts = new ObjectMapper().readTree(stats.out);
    assertThat(counts.get("spans").asLong()).isEqualTo(CliFixture.SPANS);
    assertThat(counts.get("logRecords").asLong()).isEqualTo(CliFixture.LOG_RECORDS);
    assertThat(convert.status).as(convert.err).isZero();
    assertThat(validate.status).as(validate.out).isZero();
    assertThat(validate.out).startsWith("valid: 3 files");
    assertThat(usage.status).isEqualTo(2);
    assertThat(usage.err).startsWith("otlp-file cat: Unknown option");
  }

  private static final class Run {
    final int status;
    final String out;
    final String err;

    Run(int status, String out, String err) {
      this.status = status;
      this.out = out;
      this.err = err;
    }
  }

  private Run java(String... args) throws IOException, InterruptedException {
    String jar = System.getProperty("otlpfile.cli.jar");
    assertThat(jar).as("system property otlpfile.cli.jar").isNotNull();
    assertThat(Paths.get(jar)).exists();
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar);
    command.addAll(Arrays.asList(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(
        process.exitValue(),
        new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
        new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
  }
}
