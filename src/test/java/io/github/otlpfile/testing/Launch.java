package io.github.otlpfile.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs test classes through the JUnit Platform launcher, as a build tool would. */
final class Launch {
  static final Map<String, String> PARALLEL =
      Map.of(
          "junit.jupiter.execution.parallel.enabled", "true",
          "junit.jupiter.execution.parallel.mode.default", "concurrent",
          "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
          "junit.jupiter.execution.parallel.config.strategy", "fixed",
          "junit.jupiter.execution.parallel.config.fixed.parallelism", "8");

  /** What a run did: the summary and the directories the extension published for failures. */
  record Result(TestExecutionSummary summary, List<String> keptDirectories, List<String> passed) {
    String failures() {
      return summary.getFailures().stream()
          .map(f -> f.getTestIdentifier().getDisplayName() + ": " + stackTrace(f.getException()))
          .collect(Collectors.joining("\n"));
    }

    private static String stackTrace(Throwable t) {
      java.io.StringWriter out = new java.io.StringWriter();
      t.printStackTrace(new java.io.PrintWriter(out));
      return out.toString();
    }
  }

  private Launch() {}

  static Result run(Map<String, String> configuration, Class<?>... classes) {
    LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
    for (Class<?> c : classes) {
      request.selectors(selectClass(c));
    }
    request.configurationParameters(configuration);
    // Only what is given here: no junit-platform.properties of the surrounding build.
    request.enableImplicitConfigurationParameters(false);
    LauncherDiscoveryRequest built = request.build();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    List<String> kept = new CopyOnWriteArrayList<>();
    List<String> passed = new CopyOnWriteArrayList<>();
    TestExecutionListener entries =
        new TestExecutionListener() {
          @Override
          public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
            String dir = entry.getKeyValuePairs().get("otlp-file.directory");
            if (dir != null) {
              kept.add(dir);
            }
          }

          @Override
          public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (test.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
              passed.add(test.getDisplayName());
            }
          }
        };
    Launcher launcher = LauncherFactory.create();
    launcher.execute(built, summary, entries);
    return new Result(summary.getSummary(), new ArrayList<>(kept), new ArrayList<>(passed));
  }
}
