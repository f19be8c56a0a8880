package io.github.otlpfile;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process for {@link CatchUpRestartTest}: exports numbered spans to a folder that forwards
 * to the given OTLP/HTTP URL with catch-up on. It exports one batch for each line read from its
 * standard input, so the parent sets the pace, and prints {@code written ID} once the batch ending
 * with span id {@code ID} is in the file ({@code failed ID} if the export failed). It runs until it
 * is killed or its input ends.
 *
 * <p>Arguments: directory, traces URL, first span number.
 */
public final class CatchUpChildMain {
  static final int BATCH = 10;

  private CatchUpChildMain() {}

  static OtlpFileSpanExporterBuilder builder(String directory, String url) {
    return OtlpFileSpanExporter.builder()
        .setDirectory(Paths.get(directory))
        .setFormat(OtlpFileFormat.PROTOBUF)
        .setMaxFileSize(8_000)
        .setForwardTo(
            OtlpHttpSpanExporter.builder()
                .setEndpoint(url)
                .setTimeout(Duration.ofSeconds(2))
                .setRetryPolicy(null)
                .build())
        .setForwardTimeout(Duration.ofSeconds(3))
        .setForwardCatchUpRate(300)
        .setCircuitBreaker(
            CircuitBreakerConfig.builder()
                .setFailureThreshold(2)
                .setOpenDuration(Duration.ofMillis(300))
                .build());
  }

  public static void main(String[] args) throws Exception {
    OtlpFileSpanExporter exporter = builder(args[0], args[1]).build();
    long next = Long.parseLong(args[2]);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("ready");
    System.out.flush();
    while (in.readLine() != null) {
      List<SpanData> spans = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        spans.add(CatchUpEndToEndTest.span(String.format("%016x", next++)));
      }
      if (exporter.export(spans).join(10, TimeUnit.SECONDS).isSuccess()) {
        System.out.println("written " + (next - 1));
      } else {
        System.out.println("failed " + (next - 1));
      }
      System.out.flush();
    }
    exporter.shutdown().join(10, TimeUnit.SECONDS);
  }
}
