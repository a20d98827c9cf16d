package dev.cairn.query.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.query.InvalidParameterException;
import dev.cairn.store.QueryTimeoutException;
import dev.cairn.store.StoreUnavailableException;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ProblemExceptionMapperTest {

  private final ProblemExceptionMapper mapper = new ProblemExceptionMapper();

  @Test
  void unreachableStoreIsARetryable503() {
    Response response =
        mapper.toResponse(
            new StoreUnavailableException("connection refused", new RuntimeException()));

    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getHeaderString("Retry-After"))
        .isEqualTo(Integer.toString(ProblemExceptionMapper.RETRY_AFTER_SECONDS));
    assertThat(response.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
    assertThat(((Problem) response.getEntity()).type()).isEqualTo(Problem.STORE_UNAVAILABLE);
  }

  @Test
  void aStatementTimeoutIsARetryable503ThatSaysSo() {
    Response response =
        mapper.toResponse(
            new CompletionException(
                new QueryTimeoutException("cancelled", new RuntimeException("57014"))));

    Problem problem = (Problem) response.getEntity();
    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getHeaderString("Retry-After")).isNotNull();
    assertThat(problem.type()).isEqualTo(Problem.QUERY_TIMEOUT);
    assertThat(problem.detail()).contains("statement timeout");
  }

  @Test
  void unexpectedFailuresAre500WithoutInternals() {
    Response response = mapper.toResponse(new IllegalStateException("password=hunter2"));

    Problem problem = (Problem) response.getEntity();
    assertThat(response.getStatus()).isEqualTo(500);
    assertThat(problem.detail()).doesNotContain("hunter2");
  }

  @Test
  void unwrapsCompletionExceptions() {
    Response response =
        mapper.toResponse(
            new CompletionException(new InvalidParameterException("limit", "too big")));

    Problem problem = (Problem) response.getEntity();
    assertThat(response.getStatus()).isEqualTo(400);
    assertThat(problem.parameter()).isEqualTo("limit");
    assertThat(problem.detail()).isEqualTo("limit: too big");
  }
}
