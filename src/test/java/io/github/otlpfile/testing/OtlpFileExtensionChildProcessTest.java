package io.github.otlpfile.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.receive.ReceiverAgentApp;
import io.github.otlpfile.support.ChildJvm;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.assertj.SpanDataAssert;
import io.opentelemetry.sdk.testing.assertj.TracesAssert;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Telemetry of other processes: a child JVM writing with this library's exporter into the test's
 * directory, and a child JVM under the OpenTelemetry Java agent sending OTLP to the test's
 * receiver, configured only by {@code getOtlpEnvironment()}.
 */
class OtlpFileExtensionChildProcessTest {
  private static final int CHILDREN = 5;
  private static final Duration ARRIVAL = Duration.ofSeconds(60);

  @RegisterExtension static final OtlpFileExtension otel = OtlpFileExtension.create();

  @TempDir Path tmp;

  @Test
  void awaitsSpansThatAChildJvmWritesIntoTheDirectory() throws Exception {
    List<String> command = java();
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ChildWriterApp.class.getName());
    command.add(otel.getDirectory().toString());
    command.add(Integer.toString(CHILDREN));
    Process child = start(new ProcessBuilder(command));

    // Waits while the child is still starting and writing.
    List<SpanData> spans = otel.awaitSpans(CHILDREN + 1, ARRIVAL);
    assertThat(spans).extracting(SpanData::getName).contains("child-parent", "child-0");
    List<List<SpanData>> traces = otel.awaitTraces(1, ARRIVAL);
    TracesAssert.assertThat(traces)
        .hasTracesSatisfyingExactly(
            trace -> trace.hasSpansSatisfyingExactly(parentThenChildren("child-parent", traces)));
    assertThat(
            traces.get(0).get(0).getResource().getAttribute(AttributeKey.stringKey("service.name")))
        .isEqualTo("child-writer");
    finish(child);
  }

  @Test
  void awaitsTracesThatAChildJvmUnderTheJavaAgentSendsToTheEndpoint() throws Exception {
    List<String> command = java();
    command.addAll(ChildJvm.javaagentOptions());
    command.add("-cp");
    command.add(ChildJvm.apiClassPath(ReceiverAgentApp.class));
    command.add(ReceiverAgentApp.class.getName());
    command.add(Integer.toString(CHILDREN));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("OTEL_"));
    builder.environment().putAll(otel.getOtlpEnvironment("agent-app"));
    Process child = start(builder);

    List<List<SpanData>> traces = otel.awaitTraces(1, ARRIVAL);
    otel.awaitSpans(CHILDREN + 1, ARRIVAL);
    List<List<SpanData>> complete = otel.getTraces();
    TracesAssert.assertThat(complete)
        .hasTracesSatisfyingExactly(
            trace -> trace.hasSpansSatisfyingExactly(parentThenChildren("agent-parent", complete)));
    assertThat(
            traces.get(0).get(0).getResource().getAttribute(AttributeKey.stringKey("service.name")))
        .isEqualTo("agent-app");
    finish(child);
  }

  /** The parent first, then its children in start order, each with the parent as parent. */
  @SuppressWarnings("unchecked")
  private static Consumer<SpanDataAssert>[] parentThenChildren(
      String parentName, List<List<SpanData>> traces) {
    List<Consumer<SpanDataAssert>> checks = new ArrayList<>();
    checks.add(span -> span.hasName(parentName).hasNoParent());
    SpanData parent = traces.get(0).get(0);
    long[] lastStart = {parent.getStartEpochNanos()};
    for (int i = 0; i < CHILDREN; i++) {
      checks.add(
          span ->
              span.hasParent(parent)
                  .satisfies(
                      s -> {
                        assertThat(s.getStartEpochNanos()).isGreaterThanOrEqualTo(lastStart[0]);
                        lastStart[0] = s.getStartEpochNanos();
                      }));
    }
    return checks.toArray(new Consumer[0]);
  }

  private List<String> java() {
    List<String> command = new ArrayList<>();
    command.add(ChildJvm.java());
    command.add(ChildJvm.QUICK_START);
    command.add("-Xmx128m");
    return command;
  }

  private Process start(ProcessBuilder builder) throws Exception {
    builder.redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile());
    return builder.start();
  }

  private void finish(Process child) throws Exception {
    ChildJvm.awaitSuccess(child, tmp.resolve("child.log"), Duration.ofSeconds(60));
  }
}
