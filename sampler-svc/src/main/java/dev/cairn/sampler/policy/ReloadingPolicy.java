package dev.cairn.sampler.policy;

import dev.cairn.sampler.AssembledTrace;
import dev.cairn.sampler.SamplingDecision;
import dev.cairn.sampler.SamplingPolicy;
import dev.cairn.sampler.Ticker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The policy chain of the policy file, read again without a restart: {@link #refresh()} (called by
 * the sampling loop between polls) looks at the file at most every {@code checkInterval} and, when
 * its content changed, parses it and swaps the chain. A file that cannot be read or parsed keeps
 * the last good chain (at start: the chain of the settings), is logged once per content and counted
 * through the {@link Listener}. Without a file the settings' chain is used for good. Used by the
 * sampling thread only.
 */
public final class ReloadingPolicy implements SamplingPolicy {

  private static final Logger LOG = Logger.getLogger(ReloadingPolicy.class);

  /** Told of every reload and every failed attempt. */
  public interface Listener {
    void policyReloaded();

    void policyReloadFailed(String reason);
  }

  private final Optional<Path> file;
  private final PolicySettings settings;
  private final Ticker ticker;
  private final long checkIntervalNanos;
  private final Listener listener;
  private PolicyChain current;
  private byte[] lastContent;
  private boolean lastReadFailed;
  private long nextCheck;

  public ReloadingPolicy(
      Optional<Path> file,
      PolicySettings settings,
      Ticker ticker,
      Duration checkInterval,
      Listener listener) {
    this.file = file;
    this.settings = settings;
    this.ticker = ticker;
    this.checkIntervalNanos = checkInterval.toNanos();
    this.listener = listener;
    this.current = settings.defaultChain();
    if (file.isPresent()) {
      load(file.get());
    }
    this.nextCheck = ticker.nanos() + checkIntervalNanos;
  }

  @Override
  public SamplingDecision decide(AssembledTrace trace) {
    return current.decide(trace);
  }

  /** The chain in use. */
  public PolicyChain current() {
    return current;
  }

  /** Reads the file again if the check interval passed; cheap otherwise. */
  public void refresh() {
    if (file.isEmpty() || ticker.nanos() - nextCheck < 0) {
      return;
    }
    nextCheck = ticker.nanos() + checkIntervalNanos;
    load(file.get());
  }

  private void load(Path path) {
    byte[] content;
    try {
      content = Files.readAllBytes(path);
    } catch (IOException e) {
      if (!lastReadFailed) {
        LOG.errorf("cannot read the policy file %s (%s); keeping the policies in use", path, e);
        listener.policyReloadFailed("unreadable");
      }
      lastReadFailed = true;
      return;
    }
    lastReadFailed = false;
    if (Arrays.equals(content, lastContent)) {
      return;
    }
    lastContent = content;
    try {
      current = settings.parse(path.getFileName().toString(), content, ticker);
      LOG.infof(
          "policies loaded from %s: %d before the base rate %s",
          path, current.size(), current.baseRate());
      listener.policyReloaded();
    } catch (PolicyFileException e) {
      LOG.errorf("policy file %s not used, keeping the policies in use: %s", path, e.getMessage());
      listener.policyReloadFailed("invalid");
    }
  }
}
