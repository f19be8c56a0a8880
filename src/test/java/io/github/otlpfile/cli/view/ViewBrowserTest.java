package io.github.otlpfile.cli.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.otlpfile.OtlpFileFormat;
import java.io.File;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * driven by Selenium): finds a known trace by filtering, opens its waterfall, checks nesting, span
 * details, logs, a metric chart, that hostile attribute values stay text, and that a trace of
 * 10,000 spans renders and scrolls with only the visible rows in the page.
 *
 * <p>Chromium is looked for at {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}
 * (properties {@code otlpfile.test.chromium} and {@code otlpfile.test.chromedriver} override).
 * Without them the test fails, saying what to install; {@code -Dotlpfile.test.skipBrowser=true}
 * skips it instead, except under CI (the {@code CI} variable set), where it never skips.
 * Screenshots go to {@code otlpfile.test.screenshotDir} (default {@code target/view-screenshots}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewBrowserTest {
  @TempDir static Path directory;
  @TempDir static Path profile;
  private ViewTelemetry telemetry;
  private ViewServer server;
  private WebDriver driver;
  private WebDriverWait wait;
  private Path screenshots;

  @BeforeAll
  void start() throws Exception {
    Path chromium = Paths.get(System.getProperty("otlpfile.test.chromium", "/usr/bin/chromium"));
    Path chromedriver =
        Paths.get(System.getProperty("otlpfile.test.chromedriver", "/usr/bin/chromedriver"));
    if (!Files.isExecutable(chromium) || !Files.isExecutable(chromedriver)) {
      String missing =
          "The browser test needs Chromium and its driver: "
              + chromium
              + (Files.isExecutable(chromium) ? " found" : " missing")
              + ", "
              + chromedriver
              + (Files.isExecutable(chromedriver) ? " found" : " missing")
              + ". Install them with `apt-get install chromium chromium-driver` (Debian), or point"
              + " -Dotlpfile.test.chromium and -Dotlpfile.test.chromedriver at them.";
      boolean skip = Boolean.getBoolean("otlpfile.test.skipBrowser") && System.getenv("CI") == null;
      if (skip) {
        Assumptions.abort(missing + " Skipped: -Dotlpfile.test.skipBrowser=true.");
      }
      throw new AssertionError(missing);
    }
    telemetry = ViewTelemetry.write(directory, OtlpFileFormat.JSON_LINES, true);
    server =
        ViewServer.startIndexed(List.of(directory), InetAddress.getLoopbackAddress(), 0, false);
    screenshots =
        Paths.get(System.getProperty("otlpfile.test.screenshotDir", "target/view-screenshots"));
    Files.createDirectories(screenshots);

    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1440,900",
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver.toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    // The page re-renders rows as it scrolls and filters: an element found a moment ago may be
    // gone; the condition is then asked again.
    wait.ignoring(StaleElementReferenceException.class);
  }

  @AfterAll
  void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void findsTheTraceOpensItsWaterfallDetailsLogsAndAMetricChartKeepingHostileValuesText()
      throws Exception {
    driver.get(server.getUri() + "#/traces");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#trace-list")));
    wait.until(d -> d.findElement(By.id("status")).getText().contains("traces"));
    screenshot("view-traces.png");

    WebElement name = driver.findElement(By.id("trace-filter-name"));
    name.sendKeys("orders/{id}");
    driver.findElement(By.id("trace-filter-apply")).click();
    wait.until(ExpectedConditions.textToBe(By.id("trace-total"), "1–1 of 1 traces"));
    List<WebElement> rows = driver.findElements(By.cssSelector("tr.trace-row"));
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).getDomAttribute("data-trace-id")).isEqualTo(telemetry.checkoutTraceId);
    rows.get(0).findElement(By.cssSelector("a.trace-name")).click();

    wait.until(ExpectedConditions.textToBe(By.id("trace-span-count"), "4 spans"));
    Map<String, String> depthByName =
        driver.findElements(By.cssSelector(".wf-row")).stream()
            .collect(
                Collectors.toMap(
                    r -> r.findElement(By.cssSelector(".wf-name")).getText(),
                    r -> r.getDomAttribute("data-depth")));
    assertThat(depthByName)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                ViewTelemetry.ROOT_NAME,
                "0",
                "SELECT orders",
                "1",
                "pool.acquire",
                "2",
                "charge card",
                "1"));
    assertThat(driver.findElements(By.cssSelector(".wf-bar.error"))).hasSize(1);
    assertThat(driver.findElements(By.cssSelector(".wf-log"))).hasSize(2);

    // The root's details: the hostile attribute value is shown as text and nothing ran.
    row(ViewTelemetry.ROOT_NAME).click();
    wait.until(ExpectedConditions.textToBe(By.id("span-details-name"), ViewTelemetry.ROOT_NAME));
    WebElement attributes = driver.findElement(By.id("span-attributes"));
    assertThat(attributes.getText()).contains(ViewTelemetry.HOSTILE);
    assertThat(driver.findElement(By.id("span-resource")).getText()).contains("checkout");
    assertThat(driver.findElement(By.id("span-details")).getText())
        .contains("io.example.checkout")
        .contains("1.4.2");
    assertThat(driver.findElements(By.cssSelector("main script, main img"))).isEmpty();
    assertThat(js("return typeof window.__xss")).isEqualTo("undefined");

    // The trace's logs, with the hostile body as text, and a link to their span.
    List<WebElement> logRows = driver.findElements(By.cssSelector("#trace-logs .log-row"));
    assertThat(logRows).hasSize(2);
    assertThat(logRows.get(1).getText()).contains("card declined: " + ViewTelemetry.HOSTILE);
    logRows.get(1).findElement(By.cssSelector("a.log-span-link")).click();
    wait.until(ExpectedConditions.textToBe(By.id("span-details-name"), "charge card"));
    WebElement details = driver.findElement(By.id("span-details"));
    assertThat(details.getText())
        .contains("error: card declined")
        .contains("retry")
        .contains("link.reason");
    assertThat(driver.findElement(By.id("span-logs")).getText()).contains("card declined");
    assertThat(js("return typeof window.__xss")).isEqualTo("undefined");
    screenshot("view-waterfall.png");

    // Collapsing the root leaves one row.
    row(ViewTelemetry.ROOT_NAME).findElement(By.cssSelector(".wf-toggle")).click();
    wait.until(d -> d.findElements(By.cssSelector(".wf-row")).size() == 1);
    row(ViewTelemetry.ROOT_NAME).findElement(By.cssSelector(".wf-toggle")).click();
    wait.until(d -> d.findElements(By.cssSelector(".wf-row")).size() == 4);

    // A metric: one line per attribute set, with its unit.
    driver.findElement(By.id("nav-metrics")).click();
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("tr.metric-row[data-metric-name='orders.placed']")));
    driver.findElement(By.cssSelector("tr.metric-row[data-metric-name='orders.placed'] a")).click();
    wait.until(d -> d.findElements(By.cssSelector("svg.line-chart path.series-line")).size() == 2);
    assertThat(driver.findElement(By.id("metric-unit")).getText()).isEqualTo("unit: {order}");
    assertThat(driver.findElement(By.id("metric-charts")).getText())
        .contains("payment=card")
        .contains("payment=cash");
    screenshot("view-metrics.png");

    driver.findElement(By.id("nav-metrics")).click();
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("tr.metric-row[data-metric-name='http.server.request.duration']")));
    driver
        .findElement(
            By.cssSelector("tr.metric-row[data-metric-name='http.server.request.duration'] a"))
        .click();
    wait.until(d -> !d.findElements(By.cssSelector("svg.histogram-chart rect.bucket")).isEmpty());
    // The SDK's default boundaries: 15 bounds, 16 buckets.
    assertThat(driver.findElements(By.cssSelector("svg.histogram-chart rect.bucket"))).hasSize(16);
    assertThat(driver.findElements(By.cssSelector("svg.heatmap"))).hasSize(1);
    screenshot("view-histogram.png");

    // The logs list, filtered by severity.
    driver.get(server.getUri() + "#/logs?minSeverity=17");
    wait.until(d -> d.findElements(By.cssSelector("#log-list .log-row")).size() == 1);
    assertThat(driver.findElement(By.cssSelector("#log-list .log-row")).getText())
        .contains(ViewTelemetry.HOSTILE);
    assertThat(js("return typeof window.__xss")).isEqualTo("undefined");
  }

  @Test
  void aTraceOfTenThousandSpansRendersOnlyVisibleRowsAndScrolls() throws Exception {
    driver.get(server.getUri() + "#/traces?name=" + ViewTelemetry.BIG_ROOT_NAME);
    wait.until(d -> d.findElements(By.cssSelector("tr.trace-row")).size() == 1);
    long started = System.nanoTime();
    driver.findElement(By.cssSelector("tr.trace-row a.trace-name")).click();
    wait.until(
        ExpectedConditions.textToBe(
            By.id("trace-span-count"), ViewTelemetry.BIG_TRACE_SPANS + " spans"));
    long renderMillis = (System.nanoTime() - started) / 1_000_000;
    int rendered = driver.findElements(By.cssSelector(".wf-row")).size();
    assertThat(rendered).isBetween(10, 200);
    // Generous: the bound is for a shared machine, not the usual time.
    assertThat(renderMillis).as("fetch and render of 10,000 spans, ms").isLessThan(20_000);

    // Scroll through the whole waterfall in 100 animation frames and measure it.
    Object scrollMillis =
        ((JavascriptExecutor) driver)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "const box = document.getElementById('waterfall-scroll');"
                    + "const start = performance.now(); let step = 0;"
                    + "function next() {"
                    + "  box.scrollTop = (box.scrollHeight - box.clientHeight) * step / 100;"
                    + "  if (++step > 100) { done(performance.now() - start); return; }"
                    + "  requestAnimationFrame(next); }"
                    + "requestAnimationFrame(next);");
    double scroll = ((Number) scrollMillis).doubleValue();
    wait.until(
        d ->
            d.findElements(By.cssSelector(".wf-row .wf-name")).stream()
                .anyMatch(e -> e.getText().equals("row 98.99")));
    assertThat(driver.findElements(By.cssSelector(".wf-row")).size()).isBetween(10, 200);
    assertThat(scroll).as("100 scroll steps over 10,000 rows, ms").isLessThan(15_000);
    System.out.printf(
        "10,000-span trace: fetched and rendered in %d ms (page's own count %s ms), %d rows in the"
            + " page, 100 scroll frames in %.0f ms%n",
        renderMillis,
        driver.findElement(By.tagName("body")).getDomAttribute("data-trace-render-ms"),
        rendered,
        scroll);
    screenshot("view-large-trace.png");
  }

  private WebElement row(String spanName) {
    return driver.findElements(By.cssSelector(".wf-row")).stream()
        .filter(r -> r.findElement(By.cssSelector(".wf-name")).getText().equals(spanName))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no waterfall row " + spanName));
  }

  private Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  private void screenshot(String name) throws java.io.IOException {
    js("window.scrollTo(0, 0)");
    File shot = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), screenshots.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }
}
