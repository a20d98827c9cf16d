package dev.cairn.query.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium driven over WebDriver by Debian's chromedriver (scripts/infra.sh
 * installs both), so the UI tests stay in JUnit and need no Node. The binaries are named
 * explicitly: Selenium Manager would otherwise try to download a browser.
 */
public final class Browser implements AutoCloseable {

  /** Where the UI tests leave their screenshots (a test artifact of the module). */
  public static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private final ChromeDriver driver;
  private final String baseUrl;

  public Browser(String baseUrl) {
    this.baseUrl = baseUrl.replaceAll("/+$", "");
    String chromium = env("CAIRN_CHROMIUM", "/usr/bin/chromium");
    String chromedriver = env("CAIRN_CHROMEDRIVER", "/usr/bin/chromedriver");
    for (String binary : List.of(chromium, chromedriver)) {
      if (!Files.isExecutable(Path.of(binary))) {
        throw new IllegalStateException(
            binary
                + " is missing: scripts/infra.sh up installs Debian's chromium and chromium-driver");
      }
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--window-size=1440,1000");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of(chromedriver).toFile())
            .build();
    driver = new ChromeDriver(service, options);
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** Loads a UI path (e.g. {@code /trace/<id>}) as a fresh page load. */
  public void open(String path) {
    driver.get(baseUrl + path);
  }

  /** The first element matching {@code css} once it is displayed. */
  public WebElement waitFor(String css) {
    return until(
        "a displayed " + css,
        () ->
            driver.findElements(By.cssSelector(css)).stream()
                .filter(WebElement::isDisplayed)
                .findFirst()
                .orElse(null));
  }

  /** The first displayed element matching {@code css} once its text is {@code text}. */
  public WebElement waitForText(String css, String text) {
    return until(
        css + " reading " + text,
        () ->
            driver.findElements(By.cssSelector(css)).stream()
                .filter(e -> e.isDisplayed() && e.getText().equals(text))
                .findFirst()
                .orElse(null));
  }

  /** The elements matching {@code css} once there are at least {@code atLeast}. */
  public List<WebElement> waitForAll(String css, int atLeast) {
    return until(
        atLeast + " of " + css,
        () -> {
          List<WebElement> found = driver.findElements(By.cssSelector(css));
          return found.size() >= atLeast ? found : null;
        });
  }

  /** Polls {@code probe} until it answers non-null, for at most {@link #PATIENCE}. */
  private <T> T until(String what, Supplier<T> probe) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      try {
        T value = probe.get();
        if (value != null) return value;
      } catch (StaleElementReferenceException e) {
        // the page redrew between finding and asking: look again
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no " + what + " within " + PATIENCE + " on " + driver.getCurrentUrl());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  public List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  public Object script(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Saves a screenshot of the window as {@code target/ui-screenshots/<name>.png}. */
  public Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
