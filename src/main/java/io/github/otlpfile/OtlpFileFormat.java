package io.github.otlpfile;

/** The on-disk format of OTLP files. Both are read by standard OpenTelemetry tooling. */
public enum OtlpFileFormat {
  /**
   * OTLP/JSON, one {@code Export*ServiceRequest} per line, UTF-8, {@code \n} separated: the
   * OpenTelemetry file exporter format, read by the Collector's {@code otlpjsonfilereceiver}. Files
   * end in {@code .jsonl}.
   */
  JSON_LINES("jsonl"),
  /**
   * Binary protobuf records, each a 4-byte big-endian length followed by the binary {@code
   * Export*ServiceRequest}: the Collector {@code fileexporter} proto framing. Files end in {@code
   * .binpb}.
   */
  PROTOBUF("binpb");

  private final String fileExtension;

  OtlpFileFormat(String fileExtension) {
    this.fileExtension = fileExtension;
  }

  /** Returns the file name extension without the leading dot, for example {@code jsonl}. */
  public String getFileExtension() {
    return fileExtension;
  }
}
