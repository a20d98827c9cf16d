package dev.cairn.query.transport.graphql;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.Map;

/** Posts GraphQL documents to the running query-svc and returns the answer's JSON. */
final class GraphQLClient {

  private GraphQLClient() {}

  /** The answer to {@code query}; GraphQL answers 200 whether or not it has errors. */
  static JsonPath post(String query) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("query", query))
        .post("/graphql")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /** The raw body of the answer, to check that nothing internal leaks into it. */
  static String body(String query) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("query", query))
        .post("/graphql")
        .then()
        .statusCode(200)
        .extract()
        .asString();
  }
}
