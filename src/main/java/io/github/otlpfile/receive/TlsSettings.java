package io.github.otlpfile.receive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The server's certificate and key, loaded and checked once at {@code build()}, as key managers for
 * both servers: an {@link SSLContext} for HTTPS and the same key managers for gRPC. The key and the
 * password are never in {@link #toString()}.
 *
 * <p>Immutable after construction, thread-safe.
 */
final class TlsSettings {
  private static final String PEM_KEY_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PEM_KEY_END = "-----END PRIVATE KEY-----";
  private static final char[] NO_PASSWORD = new char[0];

  private final KeyManager[] keyManagers;
  private final SSLContext sslContext;
  private final String description;

  private TlsSettings(KeyManager[] keyManagers, String description) {
    this.keyManagers = keyManagers;
    this.description = description;
    try {
      this.sslContext = SSLContext.getInstance("TLS");
      sslContext.init(keyManagers, null, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("tls: cannot make a TLS context: " + e, e);
    }
  }

  /**
   * Loads a PEM certificate chain (server certificate first) and a PEM PKCS#8 private key ({@code
   * BEGIN PRIVATE KEY}, not encrypted), and checks that the key belongs to the certificate.
   *
   * @throws IllegalArgumentException naming {@code tls} and the file at fault
   */
  static TlsSettings fromPem(Path certificateChain, Path privateKey) {
    List<Certificate> chain;
    try (InputStream in = Files.newInputStream(certificateChain)) {
      chain = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "tls certificateChain " + certificateChain + " is not a readable PEM certificate: " + e,
          e);
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(
          "tls certificateChain " + certificateChain + " holds no certificate");
    }
    PrivateKey key = readPkcs8(privateKey, chain.get(0).getPublicKey().getAlgorithm());
    checkPair(key, chain.get(0).getPublicKey(), "tls privateKey " + privateKey);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
      return new TlsSettings(
          keyManagers(store, NO_PASSWORD),
          "PEM certificateChain=" + certificateChain + ", privateKey=" + privateKey);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("tls: cannot use the PEM key and certificate: " + e, e);
    }
  }

  private static PrivateKey readPkcs8(Path file, String algorithm) {
    String pem;
    try {
      pem = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("tls privateKey " + file + " cannot be read: " + e, e);
    }
    int begin = pem.indexOf(PEM_KEY_BEGIN);
    int end = pem.indexOf(PEM_KEY_END);
    if (begin < 0 || end < begin) {
      // No detail from the file: it holds a secret.
      throw new IllegalArgumentException(
          "tls privateKey "
              + file
              + " must be an unencrypted PKCS#8 PEM key ("
              + PEM_KEY_BEGIN
              + "); convert with: openssl pkcs8 -topk8 -nocrypt");
    }
    String base64 = pem.substring(begin + PEM_KEY_BEGIN.length(), end).replaceAll("\\s", "");
    try {
      byte[] der = Base64.getDecoder().decode(base64);
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "tls privateKey " + file + " is not a PKCS#8 " + algorithm + " key", e);
    }
  }

  /** Signs with the key and verifies with the certificate's public key. */
  private static void checkPair(PrivateKey key, PublicKey publicKey, String what) {
    String algorithm;
    switch (publicKey.getAlgorithm()) {
      case "RSA":
        algorithm = "SHA256withRSA";
        break;
      case "EC":
        algorithm = "SHA256withECDSA";
        break;
      default:
        return; // another algorithm: the TLS handshake will tell
    }
    try {
      byte[] probe = "otlp-file".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // not a pair
    }
    throw new IllegalArgumentException(what + " does not belong to the first certificate");
  }

  /**
   * Uses the one private key entry of {@code store} (with its certificate chain).
   *
   * @throws IllegalArgumentException naming {@code tls} if the store holds no key entry, more than
   *     one, or the password does not open it
   */
  static TlsSettings fromKeyStore(KeyStore store, char[] password) {
    try {
      List<String> keys = new ArrayList<>();
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          keys.add(alias);
        }
      }
      if (keys.size() != 1) {
        throw new IllegalArgumentException(
            "tls keyStore must hold exactly one private key entry, but holds " + keys.size());
      }
      Key key = store.getKey(keys.get(0), password);
      Certificate[] chain = store.getCertificateChain(keys.get(0));
      if (!(key instanceof PrivateKey) || chain == null || chain.length == 0) {
        throw new IllegalArgumentException(
            "tls keyStore entry " + keys.get(0) + " is not a private key with a certificate");
      }
      return new TlsSettings(
          keyManagers(store, password), "keyStore type=" + store.getType() + ", alias=" + keys);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "tls keyStore cannot be used (wrong password, or not initialized): " + e, e);
    }
  }

  private static KeyManager[] keyManagers(KeyStore store, char[] password)
      throws GeneralSecurityException {
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, password);
    return factory.getKeyManagers();
  }

  KeyManager[] keyManagers() {
    return keyManagers.clone();
  }

  SSLContext sslContext() {
    return sslContext;
  }

  @Override
  public String toString() {
    return description;
  }
}
