package io.github.otlpfile.cli;

import io.github.otlpfile.read.OtlpFileProblem;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts the reader's problems by kind and words them for standard error, one line each: {@code
 * FILE line 7: TRUNCATED_TAIL: reason}.
 *
 * <p>Not thread-safe.
 */
final class Problems {
  private final Map<OtlpFileProblem.Kind, Long> counts = new EnumMap<>(OtlpFileProblem.Kind.class);
  private long total;

  void count(OtlpFileProblem problem) {
    counts.merge(problem.getKind(), 1L, Long::sum);
    total++;
  }

  /** Counts a problem found outside the reader (by {@code cat --follow} or a check). */
  void countOther() {
    total++;
  }

  long count(OtlpFileProblem.Kind kind) {
    Long n = counts.get(kind);
    return n == null ? 0 : n;
  }

  long total() {
    return total;
  }

  /** Records that could not be read: invalid, too large, of the wrong or an unknown signal. */
  long invalidRecords() {
    return count(OtlpFileProblem.Kind.INVALID_RECORD)
        + count(OtlpFileProblem.Kind.RECORD_TOO_LARGE)
        + count(OtlpFileProblem.Kind.WRONG_SIGNAL)
        + count(OtlpFileProblem.Kind.UNKNOWN_SIGNAL);
  }

  /** The problem on one line, every part escaped. */
  static String line(OtlpFileProblem problem) {
    String where = problem.describePosition();
    return TerminalText.escape(problem.getFile().toString())
        + (where.isEmpty() ? "" : " " + where)
        + ": "
        + problem.getKind()
        + ": "
        + TerminalText.escape(problem.getReason(), 400);
  }
}
