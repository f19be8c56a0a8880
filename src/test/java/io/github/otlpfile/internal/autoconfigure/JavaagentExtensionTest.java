package io.github.otlpfile.internal.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.support.ChildJvm;
import io.github.otlpfile.support.FileListing;
import io.github.otlpfile.support.ReadBack;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs an application under the real OpenTelemetry Java agent with this library's classes as an
 * extension ({@code -Dotel.javaagent.extensions=}), configured only by system properties and
 * environment variables, and checks the files the agent's SDK wrote through it.
 *
 * <p>The extension jar is made from the compiled main classes, which are exactly what the published
 * jar holds: the agent supplies the SDK, the autoconfigure SPI and the OTLP marshalers.
 */
class JavaagentExtensionTest {
  private static final long TIMEOUT_SECONDS = 120;

  @TempDir Path tmp;

  @Test
  void theAgentExportsEverySignalThroughTheExtension() throws Exception {
    Path extension = extensionJar(tmp.resolve("otlp-file-exporter.jar"));
    Path out = tmp.resolve("files");
    Path log = tmp.resolve("app.log");

    List<String> command = new ArrayList<>();
    command.add(ChildJvm.java());
    command.add(ChildJvm.QUICK_START);
    command.addAll(ChildJvm.javaagentOptions());
    command.add("-Dotel.javaagent.extensions=" + extension);
    command.add("-Dotel.traces.exporter=otlp-file");
    command.add("-Dotel.metrics.exporter=otlp-file");
    command.add("-Dotel.logs.exporter=otlp-file");
    command.add("-Dotel.exporter.otlp.file.traces.format=binpb");
    command.add("-cp");
    command.add(ChildJvm.apiClassPath(JavaagentTestApp.class));
    command.add(JavaagentTestApp.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("OTEL_"));
    environment.put("OTEL_SERVICE_NAME", "javaagent-test");
    environment.put("OTEL_EXPORTER_OTLP_FILE_DIRECTORY", out.toString());
    environment.put("OTEL_EXPORTER_OTLP_FILE_METRICS_FORMAT", "binpb");
    environment.put("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "delta");

    String output = ChildJvm.runToSuccess(builder, log, Duration.ofSeconds(TIMEOUT_SECONDS));

    assertThat(FileListing.files(out.resolve("traces")))
        .as(output)
        .singleElement()
        .satisfies(f -> assertThat(f.toString()).endsWith(".binpb"));
    assertThat(ReadBack.traceRequests(out))
        .flatMap(r -> r.getResourceSpansList())
        .flatMap(rs -> rs.getScopeSpansList())
        .flatMap(ss -> ss.getSpansList())
        .extracting(s -> s.getName())
        .containsExactly("agent-span");

    assertThat(FileListing.files(out.resolve("metrics")))
        .singleElement()
        .satisfies(f -> assertThat(f.toString()).endsWith(".binpb"));
    List<ExportMetricsServiceRequest> metrics = ReadBack.metricsRequests(out);
    Metric counter =
        metrics.stream()
            .flatMap(r -> r.getResourceMetricsList().stream())
            .flatMap(rm -> rm.getScopeMetricsList().stream())
            .flatMap(sm -> sm.getMetricsList().stream())
            .filter(m -> m.getName().equals("agent.counter"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no agent.counter in " + metrics));
    assertThat(counter.getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
    assertThat(counter.getSum().getDataPoints(0).getAsInt()).isEqualTo(3);

    assertThat(FileListing.files(out.resolve("logs")))
        .singleElement()
        .satisfies(f -> assertThat(f.toString()).endsWith(".jsonl"));
    assertThat(ReadBack.logsRequests(out))
        .flatMap(r -> r.getResourceLogsList())
        .flatMap(rl -> rl.getScopeLogsList())
        .flatMap(sl -> sl.getLogRecordsList())
        .extracting(l -> l.getBody().getStringValue())
        .contains("agent-log");
  }

  /** Packs the compiled main classes and resources into a jar, as the build's jar would. */
  private static Path extensionJar(Path jar) throws IOException, URISyntaxException {
    Path classes =
        Paths.get(
            OtlpFileSpanExporterProvider.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    assertThat(classes.resolve("META-INF/services")).isDirectory();
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> entries = Files.walk(classes)) {
      for (Path entry : (Iterable<Path>) entries.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new JarEntry(classes.relativize(entry).toString().replace('\\', '/')));
        Files.copy(entry, out);
        out.closeEntry();
      }
    }
    return jar;
  }
}
