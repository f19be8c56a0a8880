package io.github.otlpfile.read;

/**
 * Thrown by a strict {@link OtlpFileReader} at the first damage it finds; the message names the
 * file, the position and the reason.
 */
public final class OtlpFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient OtlpFileProblem problem;

  OtlpFileException(OtlpFileProblem problem, Throwable cause) {
    super(problem.toString(), cause);
    this.problem = problem;
  }

  /** The damage that stopped the reader. */
  public OtlpFileProblem getProblem() {
    return problem;
  }
}
