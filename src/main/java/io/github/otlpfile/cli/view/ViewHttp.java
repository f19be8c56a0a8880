package io.github.otlpfile.cli.view;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers the page's requests: the page and its assets from the jar, the JSON API, and nothing
 * else. Read-only: any method but GET is answered 405. A request whose {@code Host} is not this
 * server's own local address is refused (403), so that a web page cannot reach the files through a
 * DNS name it points at 127.0.0.1. Every answer carries a content security policy that allows only
 * the page's own scripts and styles.
 *
 * <p>Thread-safe.
 */
final class ViewHttp implements HttpHandler {
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  private static final String RESOURCES = "/io/github/otlpfile/cli/view/";
  private static final Map<String, String> ASSETS;

  static {
    Map<String, String> assets = new HashMap<>();
    assets.put("/", "index.html");
    assets.put("/assets/view.js", "view.js");
    assets.put("/assets/view.css", "view.css");
    assets.put("/assets/favicon.svg", "favicon.svg");
    ASSETS = Collections.unmodifiableMap(assets);
  }

  private static final Logger logger = Logger.getLogger(ViewHttp.class.getName());

  private final ViewApi api;
  private final Set<String> allowedHosts;
  private final Map<String, byte[]> assetCache = new ConcurrentHashMap<>();

  ViewHttp(ViewApi api, String host, int port) {
    this.api = api;
    this.allowedHosts =
        new HashSet<>(
            Arrays.asList(
                host.toLowerCase(Locale.ROOT) + ":" + port,
                "127.0.0.1:" + port,
                "localhost:" + port,
                "[::1]:" + port));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      Headers headers = exchange.getResponseHeaders();
      headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
      headers.set("X-Content-Type-Options", "nosniff");
      headers.set("X-Frame-Options", "DENY");
      headers.set("Referrer-Policy", "no-referrer");
      headers.set("Cross-Origin-Resource-Policy", "same-origin");
      String host = exchange.getRequestHeaders().getFirst("Host");
      if (host == null || !allowedHosts.contains(host.toLowerCase(Locale.ROOT))) {
        send(
            exchange,
            403,
            "text/plain; charset=utf-8",
            text(
                "forbidden: this page answers only its own local"
                    + " address (Host 127.0.0.1 or localhost with its port)"));
        return;
      }
      if (!"GET".equals(exchange.getRequestMethod())) {
        headers.set("Allow", "GET");
        send(
            exchange,
            405,
            "text/plain; charset=utf-8",
            text("method not allowed: the page is read-only"));
        return;
      }
      String path = exchange.getRequestURI().getRawPath();
      if (path.startsWith("/api/")) {
        answerApi(exchange, path.substring("/api/".length()));
      } else if (ASSETS.containsKey(path)) {
        String name = ASSETS.get(path);
        headers.set("Cache-Control", "no-cache");
        send(exchange, 200, contentType(name), asset(name));
      } else {
        send(exchange, 404, "text/plain; charset=utf-8", text("not found: " + path));
      }
    } catch (RuntimeException | IOException e) {
      logger.log(Level.FINE, "A request of the view page failed", e);
      throw e;
    } finally {
      exchange.close();
    }
  }

  private void answerApi(HttpExchange exchange, String route) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    byte[] body;
    try {
      if (route.equals("summary")) {
        body = api.summary();
      } else if (route.equals("traces")) {
        body = api.traces(query);
      } else if (route.startsWith("trace/")) {
        body = api.trace(decode(route.substring("trace/".length())));
      } else if (route.equals("logs")) {
        body = api.logs(query);
      } else if (route.equals("metrics")) {
        body = api.metrics();
      } else if (route.startsWith("metric/")) {
        body = api.metric(decode(route.substring("metric/".length())));
      } else {
        throw new ViewApi.ApiException(404, "no such API: /api/" + route);
      }
    } catch (RuntimeException e) {
      int status = e instanceof ViewApi.ApiException ? ((ViewApi.ApiException) e).status : 500;
      String message =
          e instanceof ViewApi.ApiException ? e.getMessage() : "reading the files failed: " + e;
      if (status == 500) {
        logger.log(Level.WARNING, "The view's API failed on /api/" + route, e);
      }
      send(
          exchange,
          status,
          "application/json",
          ViewJson.write(
              json -> {
                json.writeStartObject();
                json.writeStringField("error", message);
                json.writeEndObject();
              }));
      return;
    }
    send(exchange, 200, "application/json", body);
  }

  static Map<String, String> query(String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      String key = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      query.put(key, value);
    }
    return query;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, "UTF-8");
    } catch (UnsupportedEncodingException | IllegalArgumentException e) {
      throw new ViewApi.ApiException(400, "bad URL encoding: " + text);
    }
  }

  private byte[] asset(String name) throws IOException {
    byte[] cached = assetCache.get(name);
    if (cached != null) {
      return cached;
    }
    try (InputStream in = ViewHttp.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IOException("the jar lacks the page's asset " + RESOURCES + name);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
      }
      byte[] bytes = out.toByteArray();
      assetCache.put(name, bytes);
      return bytes;
    }
  }

  private static String contentType(String name) {
    if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    return "image/svg+xml";
  }

  private static byte[] text(String message) {
    return (message + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    if ("HEAD".equals(exchange.getRequestMethod())) {
      // A HEAD answer has no body; the JDK server warns when given a length for one.
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
