package io.github.otlpfile.cli;

import picocli.CommandLine.Option;

/**
 * The options every {@code otlp-file} command has, mixed into each with {@code @Mixin}: {@code
 * --verbose} and {@code --color}. The others that mean the same everywhere are {@link JsonOption},
 * {@link FormatOption} and {@link DirectoryOption}; {@link Console} applies them.
 *
 * <p>Not thread-safe: picocli fills it in before the command runs.
 */
final class CommonOptions {
  /** When to color the output. */
  enum ColorMode {
    /** On a terminal only. */
    AUTO,
    ALWAYS,
    NEVER
  }

  @Option(
      names = {"-v", "--verbose"},
      description = "Print the stack trace of an unexpected error.")
  boolean verbose;

  @Option(
      names = "--color",
      paramLabel = "WHEN",
      description = "auto (on a terminal only), always or never (default: ${DEFAULT-VALUE}).",
      defaultValue = "auto")
  ColorMode color = ColorMode.AUTO;
}
