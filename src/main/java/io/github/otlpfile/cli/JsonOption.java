package io.github.otlpfile.cli;

import picocli.CommandLine.Option;

/** {@code --json}: machine-readable output instead of text for people. */
final class JsonOption {
  @Option(names = "--json", description = "Print JSON instead of text (one value per line).")
  boolean json;
}
