package io.github.otlpfile.cli.view;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code otlp-file view} web page over OTLP files: indexes the files, then serves the page and
 * its JSON API on a local address, read-only.
 *
 * <pre>{@code
 * try (ViewServer server = ViewServer.start(Arrays.asList(Paths.get("otlp-files")), 0, false)) {
 *   System.out.println(server.getUri());
 * }
 * }</pre>
 *
 * <p>A live server ({@code live = true}) reads what the files gained every {@link
 * #LIVE_REFRESH_INTERVAL_MILLIS} ms, as an exporter or the receiver keeps writing them; the page
 * picks the changes up. The first index pass runs in the background: the page answers at once and
 * shows the counts growing.
 *
 * <p>Thread-safe.
 */
public final class ViewServer implements AutoCloseable {
  /** How often a live server looks for new data, in milliseconds. */
  public static final long LIVE_REFRESH_INTERVAL_MILLIS = 1000;

  private static final Logger logger = Logger.getLogger(ViewServer.class.getName());

  private final ViewIndex index;
  private final HttpServer server;
  private final ExecutorService handlers;
  private final ScheduledExecutorService indexer;
  private final URI uri;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ViewServer(
      List<Path> paths, InetAddress bindAddress, int port, boolean live, boolean waitForIndex)
      throws IOException {
    this.index = new ViewIndex(paths);
    this.server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
    int boundPort = server.getAddress().getPort();
    String host = bindAddress.getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    this.uri = URI.create("http://" + host + ":" + boundPort + "/");
    this.handlers = Executors.newFixedThreadPool(4, daemon("otlp-file-view-http"));
    this.indexer = Executors.newSingleThreadScheduledExecutor(daemon("otlp-file-view-index"));
    server.setExecutor(handlers);
    server.createContext("/", new ViewHttp(new ViewApi(index, live), host, boundPort));
    if (waitForIndex) {
      index.refresh();
    }
    server.start();
    if (live) {
      indexer.scheduleWithFixedDelay(
          this::refreshQuietly,
          waitForIndex ? LIVE_REFRESH_INTERVAL_MILLIS : 0,
          LIVE_REFRESH_INTERVAL_MILLIS,
          TimeUnit.MILLISECONDS);
    } else if (!waitForIndex) {
      indexer.execute(this::refreshQuietly);
    }
  }

  /**
   * Indexes {@code paths} (files or folders) and serves the page on 127.0.0.1.
   *
   * @param port the port, or 0 for any free one (see {@link #getUri()})
   * @param live whether to keep reading what the files gain
   * @throws IOException if the port cannot be bound
   */
  public static ViewServer start(List<Path> paths, int port, boolean live) throws IOException {
    return start(paths, InetAddress.getLoopbackAddress(), port, live);
  }

  /**
   * Like {@link #start(List, int, boolean)}, on another local address. The page answers only
   * requests whose {@code Host} names this address, {@code localhost} or {@code 127.0.0.1} with the
   * port, so that a web site cannot reach it through a DNS name of its own.
   */
  public static ViewServer start(List<Path> paths, InetAddress bindAddress, int port, boolean live)
      throws IOException {
    return new ViewServer(check(paths), bindAddress, port, live, false);
  }

  /** Like {@link #start(List, int, boolean)}, returning once the first index pass is done. */
  public static ViewServer startIndexed(
      List<Path> paths, InetAddress bindAddress, int port, boolean live) throws IOException {
    return new ViewServer(check(paths), bindAddress, port, live, true);
  }

  private static List<Path> check(List<Path> paths) {
    Objects.requireNonNull(paths, "paths");
    List<Path> copy = new ArrayList<>(paths);
    for (Path path : copy) {
      Objects.requireNonNull(path, "paths must not hold null");
    }
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("paths must name at least one file or folder");
    }
    return copy;
  }

  /** The page's address, such as {@code http://127.0.0.1:43117/}. */
  public URI getUri() {
    return uri;
  }

  /** The port the page is served on. */
  public int getPort() {
    return server.getAddress().getPort();
  }

  /** Reads what the files gained now, and returns whether anything changed. */
  public boolean refresh() {
    return index.refresh();
  }

  private void refreshQuietly() {
    try {
      index.refresh();
    } catch (RuntimeException e) {
      logger.log(Level.WARNING, "Indexing the files failed; the next pass retries", e);
    }
  }

  /** Stops serving and indexing. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    indexer.shutdownNow();
    server.stop(0);
    handlers.shutdownNow();
  }

  @Override
  public String toString() {
    return "ViewServer{uri=" + uri + "}";
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
