package io.github.otlpfile;

/** Compression applied to a file once it is closed. The file being written is always plain. */
public enum Compression {
  /** Files are left as written. */
  NONE,
  /**
   * Each file is gzipped in the background when it is closed ({@code .jsonl.gz}, {@code
   * .binpb.gz}), so {@code zcat} reads it.
   */
  GZIP
}
