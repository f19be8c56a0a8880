package io.github.otlpfile.receive;

/** Hand-written OTLP/JSON requests, as a browser page would send them. */
final class ReceiverJson {
  /** One span. */
  static final String SPAN =
      "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
          + "\"value\":{\"stringValue\":\"browser\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"web\"},"
          + "\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\","
          + "\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"click\",\"kind\":1,"
          + "\"startTimeUnixNano\":\"1544712660000000000\","
          + "\"endTimeUnixNano\":\"1544712661000000000\"}]}]}]}";

  private ReceiverJson() {}
}
