/**
 * Testing with OTLP files: {@link io.github.otlpfile.testing.OtlpFileExtension}, a JUnit 5
 * extension that gives each test an SDK, a directory and an OTLP receiver of its own, and reads the
 * files back for assertions.
 *
 * <p>Needs {@code org.junit.jupiter:junit-jupiter-api}, the reader's libraries ({@code
 * io.opentelemetry.proto:opentelemetry-proto}, {@code com.google.protobuf:protobuf-java}) and, for
 * the trace assertions, {@code io.opentelemetry:opentelemetry-sdk-testing}; the exporters need none
 * of them.
 */
package io.github.otlpfile.testing;
