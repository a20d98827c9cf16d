package dev.cairn.loadgen.bench;

import picocli.CommandLine.Option;

/** The {@code --url} of query-svc, shared by the query benchmarks (a picocli mixin). */
public final class QueryServiceUrl {

  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:16686",
      description = "query-svc base URL. Default: ${DEFAULT-VALUE}.")
  String url;

  /** The URL without a trailing slash, ready for {@code + "/api/v1/..."}. */
  String base() {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
