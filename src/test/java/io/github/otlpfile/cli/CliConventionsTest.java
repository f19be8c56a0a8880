package io.github.otlpfile.cli;

import static io.github.otlpfile.cli.CliFixture.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliConventionsTest {
  @TempDir Path dir;

  @Test
  void everyCommandHasHelpAndTheSameOptions() {
    for (String command : new String[] {"cat", "stats", "validate", "convert"}) {
      CliFixture.Result help = run(command, "--help");
      assertThat(help.status).isZero();
      assertThat(help.out).contains("Usage: otlp-file " + command, "--verbose", "--color=WHEN");
    }
    for (String command : new String[] {"cat", "stats", "validate"}) {
      assertThat(run(command, "--help").out).contains("--json", "-d, --directory=DIR");
    }
  }

  @Test
  void versionAndCompletion() {
    assertThat(run("--version").out).startsWith("otlp-file ");
    CliFixture.Result completion = run("generate-completion");
    assertThat(completion.status).isZero();
    assertThat(completion.out).contains("complete -F").contains("cat").contains("convert");
  }

  @Test
  void usageErrorsExitWithTwoOnTwoLines() {
    CliFixture.Result none = run();
    assertThat(none.status).isEqualTo(2);
    CliFixture.Result bad = run("stats", "--color=sometimes");
    assertThat(bad.status).isEqualTo(2);
    assertThat(bad.err.split("\n")).hasSize(2);
    assertThat(bad.err).startsWith("otlp-file stats: Invalid value for option '--color'");
  }

  @Test
  void terminalTextEscapesWhatATerminalWouldActOn() {
    assertThat(TerminalText.escape("plain text, ünïcode ✓")).isEqualTo("plain text, ünïcode ✓");
    assertThat(TerminalText.escape("a\u001b[2Jb\u0007c\td\r\ne\u009bf\u202eg\u200bh\u007f"))
        .isEqualTo("a\\x1b[2Jb\\x07c\\td\\r\\ne\\x9bf\\u202eg\\u200bh\\x7f");
    assertThat(TerminalText.escape("0123456789", 4)).isEqualTo("0123…(+6 chars)");
  }

  @Test
  void aFileNameWithControlCharactersIsEscapedInErrors() {
    Path evil = dir.resolve("evil\u001b[31m.jsonl");
    CliFixture.Result result = run("validate", evil.toString());
    assertThat(result.status).isEqualTo(1);
    assertThat(result.out + result.err).doesNotContain("\u001b").contains("evil\\x1b[31m.jsonl");
  }

  @Test
  void colorsOnlyWhenAskedOrOnATerminal() {
    CliFixture.write(dir, io.github.otlpfile.OtlpFileFormat.JSON_LINES, false);
    assertThat(run("cat", dir.toString()).out).doesNotContain("\u001b");
    assertThat(run("cat", "--color=never", dir.toString()).out).doesNotContain("\u001b");
    assertThat(run("cat", "--color=always", dir.toString()).out).contains("\u001b[1m");
  }
}
