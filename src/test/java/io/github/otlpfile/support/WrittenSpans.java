package io.github.otlpfile.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.OtlpFileFormat;
import io.github.otlpfile.read.OtlpRecord;
import io.github.otlpfile.read.OtlpSignal;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What an outage left in a folder of span files: exactly the spans that were acknowledged, in whole
 * records only, and no empty file.
 */
public final class WrittenSpans {
  private WrittenSpans() {}

  /** The names of the spans of {@code batch}, in order. */
  public static List<String> names(List<SpanData> batch) {
    List<String> names = new ArrayList<>(batch.size());
    for (SpanData span : batch) {
      names.add(span.getName());
    }
    return names;
  }

  /**
   * Asserts that {@code directory}'s {@code traces} folder holds well-formed files only (see {@link
   * OtlpFileChecks#assertWellFormed}), none of them empty, with {@code acknowledgedSpans} spans in
   * all whose names are {@code acknowledgedNames}.
   *
   * @return the span files
   */
  public static List<Path> assertExactlyAcknowledged(
      Path directory,
      OtlpFileFormat format,
      long acknowledgedSpans,
      Set<String> acknowledgedNames) {
    List<Path> files = OtlpFileChecks.assertWellFormed(directory, OtlpSignal.TRACES, format);
    try (Stream<Path> all = Files.list(directory.resolve("traces"))) {
      for (Path file : all.toList()) {
        assertThat(Files.size(file)).as("%s is not empty", file).isPositive();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> written = new HashSet<>();
    long spansInFiles = 0;
    for (OtlpRecord record : ReadBack.records(OtlpSignal.TRACES, files.toArray(new Path[0]))) {
      List<String> names = ReadBack.spanNames(record.getTraceRequest());
      spansInFiles += names.size();
      written.addAll(names);
    }
    assertThat(spansInFiles).as("spans in the files").isEqualTo(acknowledgedSpans);
    assertThat(written).as("names of the spans in the files").isEqualTo(acknowledgedNames);
    return files;
  }
}
