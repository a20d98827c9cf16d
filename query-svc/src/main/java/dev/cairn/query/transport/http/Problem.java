package dev.cairn.query.transport.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem detail, served as {@code application/problem+json}. {@code parameter} is an
 * extension member naming the offending request parameter, present on 400 answers.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(String type, String title, int status, String detail, String parameter) {

  public static final String MEDIA_TYPE = "application/problem+json";

  static final String INVALID_PARAMETER = "https://cairn.dev/problems/invalid-parameter";
  static final String TRACE_NOT_FOUND = "https://cairn.dev/problems/trace-not-found";
  static final String STORE_UNAVAILABLE = "https://cairn.dev/problems/store-unavailable";
  static final String QUERY_TIMEOUT = "https://cairn.dev/problems/query-timeout";

  /** RFC 9457: with no more specific type, the title is the HTTP status phrase. */
  static final String ABOUT_BLANK = "about:blank";
}
