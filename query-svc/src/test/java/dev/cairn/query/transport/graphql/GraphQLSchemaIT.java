package dev.cairn.query.transport.graphql;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The checked-in schema ({@code docs/schema.graphql}) is the one the app serves at {@code
 * /graphql/schema.graphql}: a change to the GraphQL types shows up in review as a schema diff.
 */
@QuarkusTest
class GraphQLSchemaIT {

  /** Set to true to rewrite the checked-in schema from the served one. */
  static final String UPDATE = "CAIRN_UPDATE_GRAPHQL_SCHEMA";

  static final Path CHECKED_IN = Path.of("..", "docs", "schema.graphql");

  @Test
  void theServedSchemaIsTheCheckedInOne() throws IOException {
    String served =
        given().get("/graphql/schema.graphql").then().statusCode(200).extract().asString();
    if ("true".equals(System.getenv(UPDATE))) {
      Files.writeString(CHECKED_IN, served, StandardCharsets.UTF_8);
    }
    String checkedIn =
        Files.exists(CHECKED_IN) ? Files.readString(CHECKED_IN, StandardCharsets.UTF_8) : "";

    assertThat(served)
        .as(
            "the GraphQL schema served differs from "
                + CHECKED_IN.normalize()
                + "; review the change, then regenerate it with: "
                + UPDATE
                + "=true mvn -o -q -pl query-svc -am verify -Dtest=GraphQLSchemaIT"
                + " -Dsurefire.failIfNoSpecifiedTests=false")
        .isEqualTo(checkedIn);
  }
}
