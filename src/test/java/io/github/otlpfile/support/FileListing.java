package io.github.otlpfile.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a folder holds, by name only: for tests that check which files the exporters leave, not what
 * is in them (the public {@code io.github.otlpfile.read.OtlpFileReader} reads them).
 */
public final class FileListing {
  // {signal}-{yyyyMMdd'T'HHmmss.SSS'Z'}-{instanceId}-{seq}.{ext}
  private static final Pattern EXPORTER_NAME =
      Pattern.compile("([a-z]+)-(\\d{8}T\\d{6}\\.\\d{3}Z)-([0-9a-zA-Z]+)-(\\d+)(\\..*)");

  /**
   * Orders exporter file names by creation: timestamp, instance, then the sequence number read as a
   * number (so that {@code -10} follows {@code -9}); other names by themselves, ties by the whole
   * name (so {@code x} comes before {@code x.gz}).
   */
  private static final Comparator<String> CREATION_ORDER =
      Comparator.comparing(FileListing::sortKey).thenComparing(Comparator.naturalOrder());

  private FileListing() {}

  /** The name of every entry in {@code folder}, hidden ones too, in string order. */
  public static List<String> names(Path folder) {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The regular files of a signal folder that are not hidden (temporary files of compressions in
   * progress are), in creation order; an absent folder has none.
   */
  public static List<Path> files(Path signalFolder) {
    if (!Files.isDirectory(signalFolder)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(signalFolder)) {
      return entries
          .filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted(Comparator.comparing(p -> p.getFileName().toString(), CREATION_ORDER))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sortKey(String name) {
    Matcher m = EXPORTER_NAME.matcher(name);
    if (!m.matches() || m.group(4).length() > 19) {
      return name;
    }
    String seq = "0".repeat(19 - m.group(4).length()) + m.group(4);
    return m.group(1) + '-' + m.group(2) + '-' + m.group(3) + '-' + seq + m.group(5);
  }
}
