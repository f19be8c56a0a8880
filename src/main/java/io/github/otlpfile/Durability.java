package io.github.otlpfile;

/** How far written data is forced to stable storage before an export reports success. */
public enum Durability {
  /** Data is handed to the operating system's page cache; a power loss may lose recent data. */
  NONE,
  /** A file is forced to disk when it is closed (on rotation and shutdown). */
  ON_ROTATE,
  /**
   * Every group-commit write is forced to disk (and a new file's directory entry too) before the
   * exports in it report success.
   */
  EVERY_WRITE
}
