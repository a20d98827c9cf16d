package dev.cairn.query.search;

import dev.cairn.query.InvalidParameterException;
import dev.cairn.store.TraceQuery.TagFilter;

/**
 * Parses {@code tag=key:value} (the form Jaeger's API takes): the key ends at the first colon, the
 * value is the rest and may itself contain colons ({@code http.url:https://x}) or be empty.
 */
public final class TagFilterParser {

  static final String PARAMETER = "tag";

  private TagFilterParser() {}

  public static TagFilter parse(String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new InvalidParameterException(PARAMETER, "expected key:value, got no colon");
    }
    String key = Names.tagKey(PARAMETER, text.substring(0, colon));
    String value = text.substring(colon + 1);
    if (value.length() > ParameterLimits.MAX_TAG_VALUE_LENGTH) {
      throw new InvalidParameterException(
          PARAMETER,
          "value of '"
              + key
              + "' is longer than "
              + ParameterLimits.MAX_TAG_VALUE_LENGTH
              + " characters");
    }
    return new TagFilter(key, Names.freeText(PARAMETER, value));
  }
}
