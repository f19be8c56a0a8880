package io.github.otlpfile.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.otlpfile.internal.Signal;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** What the forwarding settings of one signal accept, refuse and build. */
class ForwardSettingsBuilderTest {
  private final ForwardSettingsBuilder builder = new ForwardSettingsBuilder();
  private final ForwardDelegate<SpanData> memory =
      ForwardDelegate.ofSpans(InMemorySpanExporter.create());
  private final List<String> created = new ArrayList<>();
  private final ForwardEndpoint.DelegateFactory<SpanData> otlpHttp =
      (url, headers, timeout, meters) -> {
        created.add(url + " " + headers + " " + timeout + " " + (meters != null));
        return memory;
      };
  private final UnaryOperator<java.util.Collection<SpanData>> snapshot = items -> items;

  private ForwardSettings<SpanData> build(ForwardDelegate<SpanData> forwardTo) {
    return builder.build(Signal.TRACES, forwardTo, otlpHttp, snapshot, MeterProvider.noop());
  }

  @Test
  void nothingIsForwardedWithoutATarget() {
    assertThat(builder.hasEndpoint()).isFalse();
    assertThat(build(null)).isNull();
    assertThat(created).isEmpty();
  }

  @Test
  void anExporterPassedInIsTheDelegateAndCatchUpIsOnWhenFilesCanBeRead() {
    builder.setTimeout(Duration.ofSeconds(3));
    builder.setMaxInFlight(7);
    builder.setCatchUpRate(500);

    ForwardSettings<SpanData> settings = build(memory);

    assertThat(settings.target).isEqualTo(memory.toString());
    assertThat(settings.delegateFactory.get()).isSameAs(memory);
    assertThat(settings.timeout).isEqualTo(Duration.ofSeconds(3));
    assertThat(settings.maxInFlight).isEqualTo(7);
    assertThat(settings.snapshot).isSameAs(snapshot);
    assertThat(settings.catchUp).as("the reader's libraries are on the class path").isTrue();
    assertThat(settings.catchUpRate).isEqualTo(500);

    builder.setCatchUp(false);
    assertThat(build(memory).catchUp).isFalse();
    builder.setCatchUp(true);
    assertThat(build(memory).catchUp).isTrue();
  }

  @Test
  void withoutTheReadersLibrariesCatchUpIsOffUnlessAskedForAndThenRefused() {
    assertThat(ForwardSettingsBuilder.catchUpOn(null, false)).isFalse();
    assertThat(ForwardSettingsBuilder.catchUpOn(false, false)).isFalse();
    assertThatThrownBy(() -> ForwardSettingsBuilder.catchUpOn(true, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "forwardCatchUp needs com.google.protobuf:protobuf-java and"
                + " io.opentelemetry.proto:opentelemetry-proto on the class path to read the files"
                + " back; add them, or setForwardCatchUp(false)");

    assertThat(ForwardSettingsBuilder.catchUpOn(null, true)).isTrue();
    assertThat(ForwardSettingsBuilder.catchUpOn(false, true)).isFalse();
    assertThat(ForwardSettingsBuilder.catchUpOn(true, true)).isTrue();
  }

  @Test
  void anEndpointGetsTheSignalsPathAndItsDelegateIsMadeOnlyWhenAskedFor() {
    builder.setEndpoint("http://127.0.0.1:4318");
    builder.setHeaders(Collections.singletonMap("authorization", "secret"));
    builder.setTimeout(Duration.ofSeconds(2));
    assertThat(builder.hasEndpoint()).isTrue();

    ForwardSettings<SpanData> settings = build(null);

    assertThat(settings.target).isEqualTo("http://127.0.0.1:4318/v1/traces");
    assertThat(created).as("made by the core later").isEmpty();
    assertThat(settings.delegateFactory.get()).isSameAs(memory);
    assertThat(created)
        .containsExactly("http://127.0.0.1:4318/v1/traces {authorization=secret} PT2S true");
  }

  @Test
  void badCombinationsAndValuesFailNamingTheSetting() {
    builder.setTimeout(Duration.ZERO);
    assertThatThrownBy(() -> build(memory))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("forwardTimeout must be positive, but was PT0S");
    builder.setTimeout(Duration.ofSeconds(-1));
    assertThatThrownBy(() -> build(memory)).hasMessageContaining("forwardTimeout");
    builder.setTimeout(Duration.ofMillis(1));

    builder.setMaxInFlight(0);
    assertThatThrownBy(() -> build(memory)).hasMessage("forwardMaxInFlight must be > 0, but was 0");
    builder.setMaxInFlight(1);

    builder.setCatchUpRate(0);
    assertThatThrownBy(() -> build(memory))
        .hasMessage("forwardCatchUpRate must be > 0 items per second, but was 0");
    builder.setCatchUpRate(1);
    assertThat(build(memory)).as("the smallest valid values").isNotNull();

    builder.setHeaders(Map.of("k", "v"));
    assertThatThrownBy(() -> build(memory))
        .hasMessage("forwardHeaders [k] are set, but forwardEndpoint is not");

    builder.setEndpoint("http://127.0.0.1:4318");
    assertThatThrownBy(() -> build(memory))
        .hasMessage("forwardTo and forwardEndpoint are both set; forward to one of them");
    assertThatThrownBy(() -> builder.setHeaders(Collections.singletonMap("k", null)))
        .hasMessage("forwardHeaders value");
  }
}
