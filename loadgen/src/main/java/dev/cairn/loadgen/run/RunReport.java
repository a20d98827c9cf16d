package dev.cairn.loadgen.run;

import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The end-of-run report: a human summary and one {@code RESULT {json}} line for scripts.
 *
 * @param protocol {@code grpc} or {@code http}
 * @param endpoint where spans went
 * @param connections connections used
 * @param outcome what happened
 */
public record RunReport(String protocol, String endpoint, int connections, RunOutcome outcome) {

  public String summary() {
    StatsSnapshot s = outcome.stats();
    double seconds = Math.max(1e-9, outcome.elapsedSeconds());
    long[] l = s.latencyMicros();
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            Locale.ROOT,
            "%n=== cairn-loadgen: %s %s, %d connection(s), %.1f s%s ===%n",
            protocol,
            endpoint,
            connections,
            seconds,
            outcome.drained() ? "" : " (gave up waiting for some answers)"));
    text.append(
        String.format(
            Locale.ROOT,
            "spans     sent %,d (%,.0f/s)  accepted %,d (%,.0f/s)  rejected %,d  failed %,d%n",
            s.spansSent(),
            s.spansSent() / seconds,
            s.spansAccepted(),
            s.spansAccepted() / seconds,
            s.spansRejected(),
            s.spansFailed()));
    text.append(
        String.format(
            Locale.ROOT,
            "requests  %,d (%,.0f/s), failed %,d%s;  traces %,d%n",
            s.requests(),
            s.requests() / seconds,
            s.failedRequests(),
            s.failuresByStatus().isEmpty() ? "" : " " + s.failuresByStatus(),
            s.traces()));
    text.append(
        String.format(
            Locale.ROOT,
            "latency   p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms%n",
            l[0] / 1000.0,
            l[1] / 1000.0,
            l[2] / 1000.0,
            l[3] / 1000.0));
    if (!s.lastRejectMessage().isEmpty()) {
      text.append("last rejection: ").append(s.lastRejectMessage()).append('\n');
    }
    return text.toString();
  }

  /** {@code RESULT } followed by one JSON object on one line. */
  public String resultLine() {
    StatsSnapshot s = outcome.stats();
    double seconds = Math.max(1e-9, outcome.elapsedSeconds());
    long[] l = s.latencyMicros();
    StringJoiner failures = new StringJoiner(",", "{", "}");
    for (Map.Entry<String, Long> entry : s.failuresByStatus().entrySet()) {
      failures.add(quote(entry.getKey()) + ":" + entry.getValue());
    }
    return String.format(
        Locale.ROOT,
        "RESULT {\"protocol\":%s,\"endpoint\":%s,\"connections\":%d,\"elapsedSeconds\":%.3f,"
            + "\"drained\":%b,\"requests\":%d,\"failedRequests\":%d,\"traces\":%d,"
            + "\"spansSent\":%d,\"spansAccepted\":%d,\"spansRejected\":%d,\"spansFailed\":%d,"
            + "\"sentPerSecond\":%.1f,\"acceptedPerSecond\":%.1f,\"failuresByStatus\":%s,"
            + "\"latencyMs\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"max\":%.3f}}",
        quote(protocol),
        quote(endpoint),
        connections,
        seconds,
        outcome.drained(),
        s.requests(),
        s.failedRequests(),
        s.traces(),
        s.spansSent(),
        s.spansAccepted(),
        s.spansRejected(),
        s.spansFailed(),
        s.spansSent() / seconds,
        s.spansAccepted() / seconds,
        failures,
        l[0] / 1000.0,
        l[1] / 1000.0,
        l[2] / 1000.0,
        l[3] / 1000.0);
  }

  private static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
