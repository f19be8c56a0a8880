package io.github.otlpfile.cli;

import io.github.otlpfile.OtlpFileFormat;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * {@code -f, --format}: the file format to write, {@code jsonl} or {@code binpb} (also the enum
 * names {@code JSON_LINES} and {@code PROTOBUF}, in any case). {@link Converter} is registered for
 * every {@link OtlpFileFormat} option of the command, so the same words work everywhere.
 */
final class FormatOption {
  @Option(
      names = {"-f", "--format"},
      paramLabel = "FORMAT",
      description = "jsonl or binpb (default: ${DEFAULT-VALUE}).",
      defaultValue = "jsonl",
      converter = Converter.class)
  OtlpFileFormat format = OtlpFileFormat.JSON_LINES;

  /** The command-line name of a format: {@code jsonl} or {@code binpb}. */
  static String nameOf(OtlpFileFormat format) {
    return format == OtlpFileFormat.PROTOBUF ? "binpb" : "jsonl";
  }

  /**
   * Reads {@code jsonl}, {@code binpb}, {@code json_lines}, {@code protobuf}, {@code json}, {@code
   * pb} in any case, with blanks around.
   */
  static final class Converter implements ITypeConverter<OtlpFileFormat> {
    @Override
    public OtlpFileFormat convert(String value) {
      switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "jsonl":
        case "json_lines":
        case "json":
          return OtlpFileFormat.JSON_LINES;
        case "binpb":
        case "protobuf":
        case "pb":
          return OtlpFileFormat.PROTOBUF;
        default:
          throw new CommandLine.TypeConversionException(
              "'" + value + "' is not a format: use jsonl or binpb");
      }
    }
  }
}
