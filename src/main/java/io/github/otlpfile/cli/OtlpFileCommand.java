package io.github.otlpfile.cli;

import io.github.otlpfile.OtlpFileFormat;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.AutoComplete;
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
    subcommands = {
      DemoCommand.class,
      CatCommand.class,
      StatsCommand.class,
      ValidateCommand.class,
      ConvertCommand.class,
      ReplayCommand.class,
      ServeCommand.class,
      AutoComplete.GenerateCompletion.class
    })
public final class OtlpFileCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  // Whether standard output is a terminal: colors and progress by default. Only main() sets it.
  boolean interactive;

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int status = execute(out, err, System.console() != null, args);
    out.flush();
    err.flush();
    System.exit(status);
  }

  /** Runs the command and returns its exit status. */
  public static int execute(String... args) {
    return execute(
        new PrintWriter(System.out, true), new PrintWriter(System.err, true), false, args);
  }

  /**
   * Runs the command with its output and errors going to {@code out} and {@code err}, and returns
   * its exit status: 0 ok, 1 invalid data or a failure, 2 bad usage. Neither stream is closed.
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    return execute(out, err, false, args);
  }

  static int execute(PrintWriter out, PrintWriter err, boolean interactive, String... args) {
    OtlpFileCommand command = new OtlpFileCommand();
    command.interactive = interactive;
    CliErrors errors = new CliErrors();
    CommandLine commandLine =
        new CommandLine(command)
            .registerConverter(OtlpFileFormat.class, new FormatOption.Converter())
            .setOut(out)
            .setErr(err)
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setParameterExceptionHandler(errors)
            .setExecutionExceptionHandler(errors);
    commandLine
        .getSubcommands()
        .get("generate-completion")
        .getCommandSpec()
        .usageMessage()
        .hidden(false);
    int status = commandLine.execute(args);
    out.flush();
    err.flush();
    return status;
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
