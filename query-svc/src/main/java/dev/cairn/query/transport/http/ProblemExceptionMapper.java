package dev.cairn.query.transport.http;

import dev.cairn.query.InvalidParameterException;
import dev.cairn.query.TraceNotFoundException;
import dev.cairn.store.QueryTimeoutException;
import dev.cairn.store.StoreUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * The one place where failures become HTTP answers, all as RFC 9457 problem details: the caller's
 * mistakes are 400 with the reason, an absent trace 404, an unreachable store or a query cancelled
 * by the statement timeout 503 (retryable), the framework's own answers (unknown path, wrong
 * method) keep their status, anything else is 500 without internals, logged once here.
 */
@Provider
public final class ProblemExceptionMapper implements ExceptionMapper<Throwable> {

  private static final Logger LOG = Logger.getLogger(ProblemExceptionMapper.class);

  /** Seconds a client should wait before retrying while the store is unreachable. */
  static final int RETRY_AFTER_SECONDS = 5;

  @Override
  public Response toResponse(Throwable thrown) {
    Throwable failure =
        thrown instanceof CompletionException && thrown.getCause() != null
            ? thrown.getCause()
            : thrown;
    if (failure instanceof InvalidParameterException e) {
      return answer(
          new Problem(
              Problem.INVALID_PARAMETER,
              "Invalid request parameter",
              400,
              e.parameter() + ": " + e.reason(),
              e.parameter()));
    }
    if (failure instanceof TraceNotFoundException e) {
      return answer(
          new Problem(Problem.TRACE_NOT_FOUND, "Trace not found", 404, e.getMessage(), null));
    }
    if (failure instanceof QueryTimeoutException e) {
      LOG.warn("trace store query cancelled by its statement timeout", e);
      return retryable(
          new Problem(
              Problem.QUERY_TIMEOUT,
              "Query timed out",
              503,
              "The query ran longer than the store's statement timeout and was cancelled;"
                  + " narrow it (a shorter time window, more filters) or retry later",
              null));
    }
    if (failure instanceof StoreUnavailableException e) {
      LOG.warn("trace store unavailable", e);
      return retryable(
          new Problem(
              Problem.STORE_UNAVAILABLE,
              "Trace store unavailable",
              503,
              "The trace store cannot be reached; retry later",
              null));
    }
    if (failure instanceof WebApplicationException e && e.getResponse().getStatus() < 500) {
      Response.StatusType status = e.getResponse().getStatusInfo();
      return answer(
          new Problem(
              Problem.ABOUT_BLANK,
              status.getReasonPhrase(),
              status.getStatusCode(),
              status.getReasonPhrase(),
              null));
    }
    LOG.error("request failed", failure);
    return answer(
        new Problem(
            Problem.ABOUT_BLANK,
            "Internal Server Error",
            500,
            "The server failed to answer; the failure is logged",
            null));
  }

  private static Response retryable(Problem problem) {
    return Response.fromResponse(answer(problem))
        .header("Retry-After", RETRY_AFTER_SECONDS)
        .build();
  }

  private static Response answer(Problem problem) {
    return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
  }
}
