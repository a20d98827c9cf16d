package dev.cairn.store;

import java.io.IOException;
import java.sql.SQLException;

/**
 * The one table that says whether a failure of the trace store may pass on retry. The writer
 * ({@code PgSpanWriter}) and the reader ({@code PgTraceReader}) both classify through it.
 *
 * <p>{@link #PERMANENT} means the request's own data is at fault: the same statement with the same
 * values fails the same way, so the writer isolates the offending records and dead-letters them.
 * Everything else is {@link #TRANSIENT}: retried with backoff while the service reports not ready.
 * Unknown failures are transient on purpose: wrongly retrying holds a lane back (loudly), wrongly
 * giving up would move good records out of the pipeline.
 *
 * <table>
 *   <caption>By SQLState (class = first two characters)</caption>
 *   <tr><th>SQLState</th><th>meaning</th><th>class</th></tr>
 *   <tr><td>22xxx</td><td>data exception (bad value, encoding, out of range)</td><td>PERMANENT</td></tr>
 *   <tr><td>23xxx</td><td>integrity constraint violation</td><td>PERMANENT</td></tr>
 *   <tr><td>54xxx</td><td>program limit exceeded (e.g. index row too large)</td><td>PERMANENT</td></tr>
 *   <tr><td>08xxx</td><td>connection exception</td><td>TRANSIENT</td></tr>
 *   <tr><td>40001, 40P01</td><td>serialization failure, deadlock</td><td>TRANSIENT</td></tr>
 *   <tr><td>53xxx</td><td>insufficient resources (disk full, out of memory, connections)</td>
 *       <td>TRANSIENT</td></tr>
 *   <tr><td>57P01-57P03</td><td>admin shutdown, crash shutdown, cannot connect now</td>
 *       <td>TRANSIENT</td></tr>
 *   <tr><td>57014</td><td>query canceled (statement timeout); the reader answers 503</td>
 *       <td>TRANSIENT</td></tr>
 *   <tr><td>42xxx, 3F000</td><td>undefined table/column, syntax: a deployment problem (schema
 *       not migrated yet, writer and schema of different versions), not the data's; retrying
 *       after the fix succeeds, dead-lettering would empty the topic</td><td>TRANSIENT</td></tr>
 *   <tr><td>anything else, or none</td><td>e.g. 55P03 lock not available, 58xxx I/O error, XX
 *       internal error</td><td>TRANSIENT</td></tr>
 * </table>
 *
 * <p>By exception type: an {@link SQLException} is classified by its SQLState (the first one in its
 * cause chain that has one); without a state (a pool acquisition timeout, a connection closed on
 * the client side), an {@link IOException} (e.g. during COPY) or any other throwable it is
 * transient.
 */
public enum StoreFailure {
  TRANSIENT,
  PERMANENT;

  /** Classifies a PostgreSQL SQLState; null (no state) is transient. */
  public static StoreFailure ofSqlState(String sqlState) {
    if (sqlState == null || sqlState.length() < 2) {
      return TRANSIENT;
    }
    return switch (sqlState.substring(0, 2)) {
      case "22", "23", "54" -> PERMANENT;
      default -> TRANSIENT;
    };
  }

  /** Classifies a failure by the SQLState it carries (see the table), transient without one. */
  public static StoreFailure of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return ofSqlState(sql.getSQLState());
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return TRANSIENT;
  }
}
