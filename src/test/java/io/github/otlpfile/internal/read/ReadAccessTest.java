package io.github.otlpfile.internal.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import io.github.otlpfile.read.OtlpSignal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the receiver reaches the reader's decoder. */
class ReadAccessTest {
  private static final String IMPLEMENTATION = "io.github.otlpfile.read.ReadAccessImpl";

  @Test
  void findsTheReadersImplementationAndKeepsIt() throws Exception {
    ReadAccess access = ReadAccess.get();

    assertThat(access.getClass().getName()).isEqualTo(IMPLEMENTATION);
    assertThat(ReadAccess.get()).isSameAs(access);
    byte[] json =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"a\"},{\"name\":\"b\"}]}]}]}"
            .getBytes(StandardCharsets.UTF_8);
    Message request = access.decodeJson(json, 0, json.length, OtlpSignal.TRACES);
    assertThat(request).isInstanceOf(ExportTraceServiceRequest.class);
    assertThat(access.itemCount(request)).isEqualTo(2);

    // A later installation changes nothing.
    ReadAccess.install(new Other());
    assertThat(ReadAccess.get()).isSameAs(access);
  }

  @Test
  void aRequestThatIsNotOtlpJsonIsMalformed() {
    byte[] body = "{\"resourceSpans\":".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> ReadAccess.get().decodeJson(body, 0, body.length, OtlpSignal.TRACES))
        .isInstanceOf(ReadAccess.MalformedRequestException.class)
        .hasMessageNotContaining("null");
    ReadAccess.MalformedRequestException e =
        new ReadAccess.MalformedRequestException("at 3", new IllegalStateException("x"));
    assertThat(e).hasMessage("at 3").hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void loadsTheImplementationOnFirstUse() throws Throwable {
    // A class loader of its own: neither class is initialized in it yet.
    ClassLoader loader = new Isolating(true);

    Object access = get(loader);

    assertThat(access).isNotNull();
    assertThat(access.getClass().getName()).isEqualTo(IMPLEMENTATION);
    assertThat(access.getClass().getClassLoader()).isSameAs(loader);
    assertThat(get(loader)).isSameAs(access);
  }

  @Test
  void saysWhenTheImplementationIsMissing() {
    ClassLoader loader = new Isolating(false);

    assertThatThrownBy(() -> get(loader))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(IMPLEMENTATION + " is missing")
        .hasCauseInstanceOf(ClassNotFoundException.class);
  }

  private static Object get(ClassLoader loader) throws Throwable {
    Class<?> type = Class.forName(ReadAccess.class.getName(), true, loader);
    assertThat(type).isNotSameAs(ReadAccess.class);
    try {
      return type.getMethod("get").invoke(null);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * Defines {@link ReadAccess} (and, if {@code withImplementation}, the reader's package) anew from
   * the test's class path; everything else comes from the parent.
   */
  private static final class Isolating extends ClassLoader {
    private final boolean withImplementation;

    Isolating(boolean withImplementation) {
      super(ReadAccessTest.class.getClassLoader());
      this.withImplementation = withImplementation;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        boolean own =
            name.startsWith(ReadAccess.class.getName())
                || (name.startsWith("io.github.otlpfile.read.") && withImplementation);
        if (!own) {
          if (name.equals(IMPLEMENTATION)) {
            throw new ClassNotFoundException(name);
          }
          return super.loadClass(name, resolve);
        }
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          byte[] bytes = bytes(name);
          loaded = defineClass(name, bytes, 0, bytes.length);
        }
        if (resolve) {
          resolveClass(loaded);
        }
        return loaded;
      }
    }

    private byte[] bytes(String name) throws ClassNotFoundException {
      try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
        if (in == null) {
          throw new ClassNotFoundException(name);
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static final class Other extends ReadAccess {
    @Override
    public Message decodeJson(byte[] buffer, int offset, int length, OtlpSignal signal) {
      throw new AssertionError();
    }

    @Override
    public List<SpanData> spans(ExportTraceServiceRequest request) {
      throw new AssertionError();
    }

    @Override
    public List<MetricData> metrics(ExportMetricsServiceRequest request) {
      throw new AssertionError();
    }

    @Override
    public List<LogRecordData> logRecords(ExportLogsServiceRequest request) {
      throw new AssertionError();
    }

    @Override
    public int itemCount(Message request) {
      throw new AssertionError();
    }
  }
}
