/**
 * Reading OTLP files back: {@link io.github.otlpfile.read.OtlpFileReader} reads the JSON lines
 * ({@code .jsonl}) and binary protobuf ({@code .binpb}) files that the exporters of this library,
 * the OpenTelemetry Collector and other OTLP tools write, plain or gzip-compressed, as {@code
 * opentelemetry-proto} messages and as OpenTelemetry SDK data.
 *
 * <p>Needs {@code com.google.protobuf:protobuf-java} and {@code
 * io.opentelemetry.proto:opentelemetry-proto} on the class path; the exporters do not.
 */
package io.github.otlpfile.read;
