/**
 * Receiving OTLP from other processes: {@link io.github.otlpfile.receive.OtlpFileReceiver} accepts
 * OTLP/HTTP (protobuf and JSON) and OTLP/gRPC and writes what it receives into the same OTLP files
 * as the exporters of this library.
 *
 * <p>Needs {@code com.google.protobuf:protobuf-java} and {@code
 * io.opentelemetry.proto:opentelemetry-proto} on the class path, and for gRPC also {@code
 * io.grpc:grpc-netty-shaded}, {@code grpc-protobuf} and {@code grpc-stub}; the exporters need none.
 */
package io.github.otlpfile.receive;
