package io.github.otlpfile.read;

/** The three OpenTelemetry signals an OTLP file can hold, one signal per record. */
public enum OtlpSignal {
  TRACES("traces"),
  METRICS("metrics"),
  LOGS("logs");

  private final String directoryName;

  OtlpSignal(String directoryName) {
    this.directoryName = directoryName;
  }

  /**
   * The name of the folder (and the file name prefix) the exporters use for this signal, for
   * example {@code traces}.
   */
  public String getDirectoryName() {
    return directoryName;
  }

  /** The signal whose folder or file name prefix is {@code name}, or {@code null} if none. */
  static OtlpSignal fromDirectoryName(String name) {
    for (OtlpSignal signal : values()) {
      if (signal.directoryName.equals(name)) {
        return signal;
      }
    }
    return null;
  }
}
