package dev.cairn.query.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** query-svc settings, under {@code cairn.query}. */
@ConfigMapping(prefix = "cairn.query")
public interface QueryConfig {

  /** Search defaults applied when the caller leaves a parameter out. */
  Search search();

  interface Search {
    /** How far before {@code end} a search starts when {@code start} is not given. */
    @WithDefault("1h")
    Duration defaultLookback();

    /** Page size when {@code limit} is not given (1 to 1000). */
    @WithDefault("20")
    int defaultLimit();
  }
}
