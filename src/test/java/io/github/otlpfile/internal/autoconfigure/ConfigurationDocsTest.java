package io.github.otlpfile.internal.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.internal.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** docs/CONFIGURATION.md lists every property the providers read, with its variable. */
class ConfigurationDocsTest {
  private static final Path DOC = Paths.get("docs", "CONFIGURATION.md");

  @Test
  void everyFilePropertyIsDocumented() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    for (FileExporterProperty<?> property : FileExporterProperties.FILE_PROPERTIES) {
      assertThat(doc).contains("| `" + property.getKey() + "` | `" + variable(property.getKey()));
    }
    for (Signal signal : Signal.values()) {
      assertThat(doc).contains("`" + signal.getDirectoryName() + "`");
    }
  }

  @Test
  void everyMetricPropertyIsDocumented() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    for (String key :
        List.of(
            FileExporterProperties.TEMPORALITY_PREFERENCE,
            FileExporterProperties.DEFAULT_HISTOGRAM_AGGREGATION,
            FileExporterProperties.MEMORY_MODE)) {
      assertThat(doc).contains("| `" + key + "` | `" + variable(key) + "` |");
    }
  }

  private static String variable(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_');
  }
}
