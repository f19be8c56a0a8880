package io.github.otlpfile.benchmarks.export;

import io.github.otlpfile.OtlpFileExporterBuilder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Turns on GZIP for our exporter through reflection, so that the suite builds against a library
 * that does not have {@code setCompression} yet; the candidate then fails with a clear message.
 */
final class Compression {
  private Compression() {}

  static boolean isSupported() {
    return setter() != null;
  }

  static void enableGzip(OtlpFileExporterBuilder<?> builder) {
    Method setter = setter();
    if (setter == null) {
      throw new UnsupportedOperationException(
          "this build of otlp-file-exporter has no setCompression(Compression); "
              + "leave the *_gzip candidates out (benchmarks/run does so by itself)");
    }
    try {
      setter.invoke(builder, io.github.otlpfile.Compression.GZIP);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private static Method setter() {
    try {
      return OtlpFileExporterBuilder.class.getMethod(
          "setCompression", io.github.otlpfile.Compression.class);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
