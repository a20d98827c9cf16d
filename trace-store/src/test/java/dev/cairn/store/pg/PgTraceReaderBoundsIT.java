package dev.cairn.store.pg;

import static dev.cairn.store.StoreTestSpans.randomSpanId;
import static dev.cairn.store.StoreTestSpans.randomTraceId;
import static dev.cairn.store.StoreTestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.QueryTimeoutException;
import io.vertx.mutiny.sqlclient.Pool;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PgTraceReader's own bounds against the real database: decoding happens on the executor it is
 * given, never on the pool's event loop, and a statement the database cancels for its timeout
 * surfaces as {@link QueryTimeoutException}.
 */
class PgTraceReaderBoundsIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String DECODER_THREAD = "trace-decoder-it";

  private static TestDatabase database;
  private static ExecutorService decoder;
  private static TraceId trace;

  @BeforeAll
  static void seed() {
    database = TestDatabase.createSchema();
    decoder = Executors.newSingleThreadExecutor(r -> new Thread(r, DECODER_THREAD));
    trace = randomTraceId();
    long start = Instant.parse("2022-06-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      spans.add(span(trace, randomSpanId(), Optional.empty(), "svc", "op", start + i, 10));
    }
    new PgSpanWriter(database.dataSource()).write(RetentionClass.STANDARD, spans);
  }

  @AfterAll
  static void drop() {
    decoder.shutdownNow();
    database.close();
  }

  @Test
  void spansAreDecodedOnTheGivenExecutorNotTheEventLoop() {
    PgTraceReader reader = new PgTraceReader(database.pool(), decoder);

    String thread =
        reader
            .findTrace(trace, 100)
            .map(found -> found.spans().size() + "@" + Thread.currentThread().getName())
            .await()
            .atMost(TIMEOUT);

    assertThat(thread).isEqualTo("20@" + DECODER_THREAD);
  }

  /**
   * A lock held by another session makes the read wait; statement_timeout counts that wait, so the
   * database cancels the read after 200 ms whatever the machine's speed.
   */
  @Test
  void aStatementCancelledByItsTimeoutIsAQueryTimeout() throws Exception {
    Pool impatient = database.newPool(Map.of("statement_timeout", "200"));
    try (Connection locker = database.dataSource().getConnection();
        Statement statement = locker.createStatement()) {
      locker.setAutoCommit(false);
      statement.execute("LOCK TABLE trace_summaries_standard IN ACCESS EXCLUSIVE MODE");

      PgTraceReader reader = new PgTraceReader(impatient, decoder);
      assertThatThrownBy(() -> reader.findTrace(trace, 100).await().atMost(TIMEOUT))
          .isInstanceOf(QueryTimeoutException.class)
          .hasMessageContaining("statement timeout");
      locker.rollback();
    } finally {
      impatient.closeAndAwait();
    }
  }
}
