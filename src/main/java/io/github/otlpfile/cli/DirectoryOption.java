package io.github.otlpfile.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What a command that reads files reads: its {@code PATH} arguments, or else {@code -d,
 * --directory}, the exporters' folder, as {@code demo} writes it.
 */
final class DirectoryOption {
  @Option(
      names = {"-d", "--directory"},
      paramLabel = "DIR",
      description = "The folder to read when no PATH is given (default: ${DEFAULT-VALUE}).",
      defaultValue = "otlp-files")
  Path directory = Paths.get("otlp-files");

  @Parameters(
      paramLabel = "PATH",
      arity = "0..*",
      description = "Files or folders (read recursively); default: the --directory.")
  List<Path> paths = new ArrayList<>();

  /** The {@code PATH} arguments, or the directory when there are none. */
  List<Path> inputs() {
    return paths == null || paths.isEmpty() ? Collections.singletonList(directory) : paths;
  }
}
