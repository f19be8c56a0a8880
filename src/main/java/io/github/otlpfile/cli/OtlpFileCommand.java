package io.github.otlpfile.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code otlp-file} command: works with the files the exporters write. Exit status 0 when all
 * is well, 1 for invalid data or a failure, 2 for bad usage.
 */
@Command(
    name = "otlp-file",
    mixinStandardHelpOptions = true,
    versionProvider = OtlpFileCommand.Version.class,
    description = "Reads, checks and produces OTLP files.",
    subcommands = {DemoCommand.class, ViewCommand.class})
public final class OtlpFileCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command and returns its exit status. */
  public static int execute(String... args) {
    return new CommandLine(new OtlpFileCommand()).execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = OtlpFileCommand.class.getPackage().getImplementationVersion();
      return new String[] {"otlp-file " + (version == null ? "(development build)" : version)};
    }
  }
}
