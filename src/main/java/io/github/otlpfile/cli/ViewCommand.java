package io.github.otlpfile.cli;

import io.github.otlpfile.cli.view.ViewServer;
import java.awt.Desktop;
import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Serves a local web page over OTLP files: traces with their waterfall, logs, metric charts. */
@Command(
    name = "view",
    mixinStandardHelpOptions = true,
    description = {
      "Opens OTLP files in the browser: traces, logs and metrics, on a local read-only page.",
      "Serves until interrupted (Ctrl-C)."
    })
final class ViewCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CommonOptions common;

  @Option(
      names = {"-p", "--port"},
      description = "Port to serve on; 0 picks a free one (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  int port;

  @Option(
      names = "--bind",
      description =
          "Local address to serve on (default: ${DEFAULT-VALUE}); the page answers only requests"
              + " naming this address or localhost.",
      defaultValue = "127.0.0.1")
  String bind = "127.0.0.1";

  @Option(names = "--no-open", description = "Do not open a browser; only print the address.")
  boolean noOpen;

  @Option(
      names = {"-w", "--watch"},
      description = "Keep reading what the files gain, as an exporter writes them.")
  boolean watch;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "OTLP files or folders.")
  List<Path> paths;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "No such file or folder: " + path);
      }
    }
    if (port < 0 || port > 65535) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--port must be in 0..65535, but was " + port);
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--bind: unknown address " + bind);
    }
    if (address.isAnyLocalAddress() || !(address.isLoopbackAddress() || isLocal(address))) {
      // One address, so that the Host check knows the page's own name.
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--bind must be one address of this machine (not a wildcard), but was " + bind);
    }
    ViewServer server;
    try {
      server = ViewServer.start(paths, address, port, watch);
    } catch (IOException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("otlp-file view: cannot serve on " + bind + ":" + port + ": " + e.getMessage());
      if (common.verbose) {
        e.printStackTrace(err);
      }
      err.flush();
      return 1;
    }
    try {
      URI uri = server.getUri();
      out.println(
          "otlp-file view: serving "
              + paths.size()
              + (paths.size() == 1 ? " path" : " paths")
              + " on "
              + uri
              + (watch ? " (watching for new data)" : ""));
      out.println("otlp-file view: press Ctrl-C to stop");
      out.flush();
      if (!noOpen) {
        String failure = openBrowser(uri);
        if (failure != null) {
          out.println("otlp-file view: open " + uri + " in a browser (" + failure + ")");
          out.flush();
        }
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                server.close();
                stopped.countDown();
              },
              "otlp-file-view-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        stopped.await();
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // The hook is running: it stops the server itself.
        }
      }
      return 0;
    } finally {
      server.close();
    }
  }

  private static boolean isLocal(InetAddress address) {
    try {
      return java.net.NetworkInterface.getByInetAddress(address) != null;
    } catch (IOException e) {
      return false;
    }
  }

  /** Opens the page in the desktop's browser; returns why not, or null when it was asked to. */
  static String openBrowser(URI uri) {
    try {
      if (!GraphicsEnvironment.isHeadless()
          && Desktop.isDesktopSupported()
          && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
        Desktop.getDesktop().browse(uri);
        return null;
      }
    } catch (IOException | RuntimeException | LinkageError e) {
      // Fall through to the desktop's opener.
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    boolean display = System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null;
    if (os.contains("linux") && display && onPath("xdg-open")) {
      try {
        new ProcessBuilder("xdg-open", uri.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("/dev/null")))
            .start();
        return null;
      } catch (IOException e) {
        return "xdg-open failed: " + e.getMessage();
      }
    }
    return "no desktop browser found";
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String folder : path.split(File.pathSeparator)) {
      if (new File(folder, program).canExecute()) {
        return true;
      }
    }
    return false;
  }
}
