package io.github.otlpfile.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code -d, --directory}: the exporters' folder, as {@code demo} writes it. Commands that read
 * files read it when no path is given.
 */
final class DirectoryOption {
  @Option(
      names = {"-d", "--directory"},
      paramLabel = "DIR",
      description = "The folder to read when no PATH is given (default: ${DEFAULT-VALUE}).",
      defaultValue = "otlp-files")
  Path directory = Paths.get("otlp-files");

  /** {@code paths}, or the directory when there are none. */
  List<Path> orDirectory(List<Path> paths) {
    return paths == null || paths.isEmpty() ? Collections.singletonList(directory) : paths;
  }
}
