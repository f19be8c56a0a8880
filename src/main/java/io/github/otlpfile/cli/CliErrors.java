package io.github.otlpfile.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The exit statuses and error lines of the {@code otlp-file} command: {@value #OK} when all is
 * well, {@value #INVALID} for invalid data or a failure, {@value #USAGE} for bad usage. A usage
 * error prints its message and where to find help, not the whole usage; an unexpected failure
 * prints one line, and its stack trace only with {@code --verbose}.
 *
 * <p>Thread-safe (stateless).
 */
final class CliErrors implements IExecutionExceptionHandler, IParameterExceptionHandler {
  static final int OK = 0;
  static final int INVALID = 1;
  static final int USAGE = 2;

  /**
   * A failure the command has explained itself: its message is printed on one line, without a stack
   * trace, and the command exits with {@link #INVALID}.
   */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(Path file, String message, Throwable cause) {
      super((file == null ? "" : TerminalText.escape(file.toString()) + ": ") + message, cause);
    }
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    PrintWriter err = commandLine.getErr();
    String name = commandLine.getCommandSpec().qualifiedName();
    err.println(name + ": " + TerminalText.escape(String.valueOf(e.getMessage())));
    err.println("Try '" + name + " --help' for more information.");
    err.flush();
    return USAGE;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parsed) {
    PrintWriter err = commandLine.getErr();
    commandLine.getOut().flush();
    String name = commandLine.getCommandSpec().qualifiedName();
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    if (!(e instanceof Failure)) {
      message = e.getClass().getSimpleName() + ": " + message;
    }
    err.println(name + ": error: " + TerminalText.escape(message));
    if (verbose(parsed)) {
      e.printStackTrace(err);
    } else if (!(e instanceof Failure)) {
      err.println(name + ": run with --verbose for the stack trace");
    }
    err.flush();
    return INVALID;
  }

  private static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
