package io.github.otlpfile;

/** What an export does when its signal's in-memory buffer has no room for the batch. */
public enum OverflowPolicy {
  /**
   * The export fails at once, the items are counted as dropped and a throttled warning is logged.
   * The application never waits on the disk.
   */
  DROP,
  /** The export waits until the background writer has made room. Nothing is dropped. */
  BLOCK
}
