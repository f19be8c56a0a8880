package io.github.otlpfile.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.github.otlpfile.OtlpFileFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** AssertJ checks of the OTLP files one signal folder holds. */
public final class OtlpFileChecks {
  private OtlpFileChecks() {}

  /**
   * Asserts that {@code {directory}/{signal}/} holds at least one file, that every file is named
   * {@code {signal}-{yyyyMMdd'T'HHmmss.SSS'Z'}-{instanceId}-{seq}.{ext}} with the format's
   * extension, that every {@code .jsonl} line follows {@link OtlpJsonRules}, and that every {@code
   * .binpb} record parses with no unknown fields. Returns the files in creation order.
   */
  public static List<Path> assertWellFormed(
      Path directory, OtlpFileReader.SignalDir signal, OtlpFileFormat format) {
    List<Path> files = OtlpFileReader.files(directory.resolve(signal.directoryName()));
    assertThat(files).as("files in %s/%s", directory, signal.directoryName()).isNotEmpty();
    String namePattern =
        signal.directoryName()
            + "-\\d{8}T\\d{6}\\.\\d{3}Z-[0-9a-f]+-\\d+\\."
            + format.getFileExtension()
            + "(\\.gz)?";
    for (Path file : files) {
      assertThat(file.getFileName().toString()).matches(namePattern);
      if (format == OtlpFileFormat.JSON_LINES) {
        assertThat(OtlpJsonRules.checkFile(file, signal))
            .as("OTLP/JSON rules in %s", file)
            .isEmpty();
      } else {
        for (Message request : OtlpFileReader.readFile(file, signal)) {
          assertNoUnknownFields(request, file.getFileName().toString());
        }
      }
    }
    return files;
  }

  /** Asserts that no message in the tree carries fields its proto definition does not know. */
  public static void assertNoUnknownFields(Message message, String path) {
    assertThat(message.getUnknownFields().asMap()).as("unknown fields at %s", path).isEmpty();
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      String at = path + "." + field.getKey().getName();
      if (field.getKey().isRepeated()) {
        List<?> items = (List<?>) field.getValue();
        for (int i = 0; i < items.size(); i++) {
          assertNoUnknownFields((Message) items.get(i), at + "[" + i + "]");
        }
      } else {
        assertNoUnknownFields((Message) field.getValue(), at);
      }
    }
  }
}
