package io.github.otlpfile.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a command prints, applying the shared conventions: results on standard output; errors on
 * standard error, one line each, naming the command and the file; colors only when {@code --color}
 * says so or, by default, when the output is a terminal; every value from the files escaped by
 * {@link #text(CharSequence)} before it is printed.
 *
 * <p>Not thread-safe, except {@link #error} and {@link #warn}, which print whole lines.
 */
final class Console {
  private final PrintWriter out;
  private final PrintWriter err;
  private final String commandName;
  private final boolean interactive;
  private final Ansi ansi;

  private Console(CommandSpec spec, CommonOptions options) {
    CommandLine commandLine = spec.commandLine();
    this.out = commandLine.getOut();
    this.err = commandLine.getErr();
    this.commandName = spec.qualifiedName();
    Object root = spec.root().userObject();
    this.interactive = root instanceof OtlpFileCommand && ((OtlpFileCommand) root).interactive;
    boolean colored;
    switch (options.color) {
      case ALWAYS:
        colored = true;
        break;
      case NEVER:
        colored = false;
        break;
      default:
        colored = interactive && System.getenv("NO_COLOR") == null;
    }
    this.ansi = colored ? Ansi.ON : Ansi.OFF;
  }

  /** The console of the command {@code spec} with its {@code options}. */
  static Console of(CommandSpec spec, CommonOptions options) {
    return new Console(spec, options);
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  /** Whether standard output and standard error are a terminal (progress may be shown). */
  boolean isInteractive() {
    return interactive;
  }

  boolean isColored() {
    return ansi == Ansi.ON;
  }

  /** A value from the files, made safe to print (see {@link TerminalText}). */
  static String text(CharSequence value) {
    return TerminalText.escape(value);
  }

  /** A value from the files, made safe to print and cut to about {@code maxChars}. */
  static String text(CharSequence value, int maxChars) {
    return TerminalText.escape(value, maxChars);
  }

  // SGR parameters of the styles used.
  static final String BOLD = "1";
  static final String FAINT = "2";
  static final String RED = "31";
  static final String GREEN = "32";
  static final String YELLOW = "33";
  static final String CYAN = "36";

  /**
   * {@code plain} in a style ({@link #BOLD}, {@link #RED}, ...) when colored; {@code plain} must
   * already be escaped, so the only escape sequences printed are these.
   */
  String style(String sgr, String plain) {
    if (ansi != Ansi.ON || plain.isEmpty()) {
      return plain;
    }
    return "\u001b[" + sgr + "m" + plain + "\u001b[0m";
  }

  /** Prints {@code otlp-file cmd: file: message} on one line of standard error. */
  void error(Path file, String message) {
    line(style(RED, "error") + ": " + (file == null ? "" : text(file.toString()) + ": ") + message);
  }

  /** Prints {@code otlp-file cmd: message} on one line of standard error. */
  void warn(String message) {
    line(style(YELLOW, "warning") + ": " + message);
  }

  private void line(String message) {
    synchronized (err) {
      out.flush();
      err.println(commandName + ": " + message);
      err.flush();
    }
  }
}
