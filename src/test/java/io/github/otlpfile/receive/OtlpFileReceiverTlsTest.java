package io.github.otlpfile.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.otlpfile.read.OtlpFileReader;
import io.github.otlpfile.read.OtlpSignal;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS with a self-signed certificate made at run time by the running JDK's {@code keytool}: the
 * OTLP exporters, trusting that certificate, send over HTTPS and gRPC with TLS, from PEM files and
 * from a key store; plain-text requests to the TLS ports are not received.
 */
class OtlpFileReceiverTlsTest {
  private static final char[] PASSWORD = "store-pass-1".toCharArray();

  @TempDir Path tmp;
  private Path keyStoreFile;
  private Path certificatePem;
  private Path keyPem;

  @BeforeEach
  void makeCertificate() throws Exception {
    Path keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool");
    assumeThat(Files.isExecutable(keytool))
        .as("the running JDK has no keytool to make a test certificate: " + keytool)
        .isTrue();
    keyStoreFile = tmp.resolve("server.p12");
    run(
        keytool.toString(),
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-storetype",
        "PKCS12",
        "-keystore",
        keyStoreFile.toString(),
        "-storepass",
        new String(PASSWORD));
    certificatePem = tmp.resolve("server.crt");
    run(
        keytool.toString(),
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        keyStoreFile.toString(),
        "-storepass",
        new String(PASSWORD),
        "-file",
        certificatePem.toString());
    // The key as PKCS#8 PEM, written from the key store (no openssl needed).
    Key key = keyStore().getKey("server", PASSWORD);
    assertThat(key.getFormat()).isEqualTo("PKCS#8");
    keyPem = tmp.resolve("server.key");
    Files.write(
        keyPem,
        ("-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n")
            .getBytes(StandardCharsets.US_ASCII));
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue())
        .as("%s: %s", command[1], new String(output, StandardCharsets.UTF_8))
        .isZero();
  }

  private KeyStore keyStore() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStoreFile)) {
      store.load(in, PASSWORD);
    }
    return store;
  }

  @Test
  void exportersSendOverTlsWithPemFiles() throws Exception {
    sendOverTls(OtlpFileReceiver.builder().setTls(certificatePem, keyPem), tmp.resolve("pem"));
  }

  @Test
  void exportersSendOverTlsWithAKeyStore() throws Exception {
    sendOverTls(OtlpFileReceiver.builder().setTls(keyStore(), PASSWORD), tmp.resolve("store"));
  }

  @Test
  void aWrongKeyStorePasswordFailsAtBuildWithoutShowingAnyPassword() throws Exception {
    String wrong = "wr0ng-pass-5531";
    OtlpFileReceiverBuilder builder =
        OtlpFileReceiver.builder()
            .setDirectory(tmp.resolve("wrong"))
            .setHttpPort(0)
            .setGrpcPort(-1)
            .setTls(keyStore(), wrong.toCharArray());

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tls keyStore")
        .satisfies(
            e -> {
              StringWriter trace = new StringWriter();
              e.printStackTrace(new PrintWriter(trace));
              assertThat(trace.toString())
                  .doesNotContain(wrong)
                  .doesNotContain(new String(PASSWORD));
            });
  }

  private void sendOverTls(OtlpFileReceiverBuilder builder, Path dir) throws Exception {
    byte[] trusted = Files.readAllBytes(certificatePem);
    List<SpanData> spans = ReceiverTelemetry.spans(4);
    OtlpFileReceiver receiver =
        builder.setDirectory(dir).setHttpPort(0).setGrpcPort(0).build().start();
    try {
      assertThat(receiver.getHttpEndpoint()).startsWith("https://127.0.0.1:");
      assertThat(receiver.getGrpcEndpoint()).startsWith("https://127.0.0.1:");
      assertThat(receiver.toString()).contains("tls={").doesNotContain(new String(PASSWORD));

      List<SpanExporter> exporters = new ArrayList<>();
      exporters.add(
          OtlpHttpSpanExporter.builder()
              .setEndpoint(receiver.getHttpEndpoint() + "/v1/traces")
              .setTrustedCertificates(trusted)
              .build());
      exporters.add(
          OtlpGrpcSpanExporter.builder()
              .setEndpoint(receiver.getGrpcEndpoint())
              .setTrustedCertificates(trusted)
              .build());
      for (SpanExporter exporter : exporters) {
        try {
          assertThat(exporter.export(spans).join(20, TimeUnit.SECONDS).isSuccess())
              .as("export over TLS through %s", exporter)
              .isTrue();
        } finally {
          exporter.shutdown().join(10, TimeUnit.SECONDS);
        }
      }

      // Plain text to the HTTPS port is not received.
      URI plain = URI.create(receiver.getHttpEndpoint().replace("https://", "http://"));
      assertThatThrownBy(
              () ->
                  HttpClient.newHttpClient()
                      .send(
                          HttpRequest.newBuilder(plain.resolve("/v1/traces"))
                              .timeout(java.time.Duration.ofSeconds(10))
                              .header("Content-Type", "application/json")
                              .POST(HttpRequest.BodyPublishers.ofString("{}"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(java.io.IOException.class);
      // A sender that does not trust the certificate is not received either.
      SpanExporter untrusting =
          OtlpHttpSpanExporter.builder()
              .setEndpoint(receiver.getHttpEndpoint() + "/v1/traces")
              .build();
      try {
        assertThat(untrusting.export(spans).join(20, TimeUnit.SECONDS).isSuccess()).isFalse();
      } finally {
        untrusting.shutdown().join(10, TimeUnit.SECONDS);
      }
      assertThat(receiver.getStats().getAcceptedItems(OtlpSignal.TRACES))
          .isEqualTo(2L * spans.size());
    } finally {
      receiver.close();
    }
    assertThat(OtlpFileReader.readSpans(dir)).hasSize(2 * spans.size());
  }

  @Test
  void badTlsSettingsFailAtBuildNamingTheSetting() throws Exception {
    Path missing = tmp.resolve("missing.pem");
    assertThatThrownBy(() -> build(OtlpFileReceiver.builder().setTls(missing, keyPem)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tls certificateChain");
    assertThatThrownBy(() -> build(OtlpFileReceiver.builder().setTls(certificatePem, missing)))
        .hasMessageContaining("tls privateKey");
    Path empty = Files.write(tmp.resolve("empty.pem"), new byte[0]);
    assertThatThrownBy(() -> build(OtlpFileReceiver.builder().setTls(empty, keyPem)))
        .hasMessageContaining("tls certificateChain");
    // A certificate where the key should be.
    assertThatThrownBy(
            () -> build(OtlpFileReceiver.builder().setTls(certificatePem, certificatePem)))
        .hasMessageContaining("PKCS#8");
    Path garbage =
        Files.write(
            tmp.resolve("garbage.key"),
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
                .getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> build(OtlpFileReceiver.builder().setTls(certificatePem, garbage)))
        .hasMessageContaining("tls privateKey");
    // A key of another pair.
    Path otherKey = otherKeyPem();
    assertThatThrownBy(() -> build(OtlpFileReceiver.builder().setTls(certificatePem, otherKey)))
        .hasMessageContaining("does not belong");
    assertThatThrownBy(
            () -> build(OtlpFileReceiver.builder().setTls(keyStore(), "bad-pass-9".toCharArray())))
        .hasMessageContaining("tls keyStore")
        .hasMessageNotContaining("bad-pass-9");
    KeyStore noKey = KeyStore.getInstance("PKCS12");
    noKey.load(null, null);
    assertThatThrownBy(() -> build(OtlpFileReceiver.builder().setTls(noKey, PASSWORD)))
        .hasMessageContaining("exactly one private key");
    assertThatThrownBy(
            () ->
                build(OtlpFileReceiver.builder().setTls(KeyStore.getInstance("PKCS12"), PASSWORD)))
        .hasMessageContaining("tls keyStore");
    assertThatThrownBy(() -> OtlpFileReceiver.builder().setTls((Path) null, keyPem))
        .isInstanceOf(NullPointerException.class);
  }

  private Path otherKeyPem() throws Exception {
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
    return Files.write(
        tmp.resolve("other.key"),
        ("-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END PRIVATE KEY-----\n")
            .getBytes(StandardCharsets.US_ASCII));
  }

  private OtlpFileReceiver build(OtlpFileReceiverBuilder builder) {
    return builder.setDirectory(tmp.resolve("bad")).setGrpcPort(-1).build();
  }
}
