package io.github.otlpfile.internal;

/**
 * The three OpenTelemetry signals, with the names used for their folders and files.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public enum Signal {
  TRACES("traces", "spans"),
  METRICS("metrics", "metric points"),
  LOGS("logs", "log records");

  private final String directoryName;
  private final String itemName;

  Signal(String directoryName, String itemName) {
    this.directoryName = directoryName;
    this.itemName = itemName;
  }

  /** The folder under the exporter's directory, also the first part of every file name. */
  public String getDirectoryName() {
    return directoryName;
  }

  /** What one item of this signal is called in messages. */
  public String getItemName() {
    return itemName;
  }
}
