package io.github.otlpfile.read;

/** Where record sources report damage; a strict reader throws from here. */
interface ProblemSink {
  void report(OtlpFileProblem problem, Throwable cause);
}
