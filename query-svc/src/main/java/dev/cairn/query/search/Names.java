package dev.cairn.query.search;

import dev.cairn.query.InvalidParameterException;
import java.util.regex.Pattern;

/**
 * Rules for the names a caller filters on. Values are always sent to the store as bind parameters,
 * so no character is dangerous there; these rules exist to refuse early, with a reason, input no
 * stored span can match and characters PostgreSQL rejects in text (NUL), which would otherwise
 * surface as server errors.
 *
 * <ul>
 *   <li>Service names are identifiers: letters, digits, space and {@code . _ - / : @ +}. Quotes,
 *       semicolons, {@code =} and the like are refused, so a pasted SQL fragment gets a 400.
 *   <li>Operation names are free text (a database span is legitimately named {@code SELECT
 *       shop.orders}), refused only for control characters or excessive length.
 *   <li>Tag keys follow OpenTelemetry attribute naming: letters, digits and {@code . _ - / @}.
 * </ul>
 */
public final class Names {

  private static final Pattern SERVICE = Pattern.compile("[\\p{L}\\p{N} ._\\-/:@+]+");
  private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{N}._\\-/@]+");
  private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");

  private Names() {}

  public static String service(String parameter, String text) {
    requireLength(parameter, text, ParameterLimits.MAX_SERVICE_LENGTH);
    if (!SERVICE.matcher(text).matches()) {
      throw new InvalidParameterException(
          parameter, "service names may contain letters, digits, space and . _ - / : @ + only");
    }
    return text;
  }

  public static String operation(String parameter, String text) {
    requireLength(parameter, text, ParameterLimits.MAX_OPERATION_LENGTH);
    return freeText(parameter, text);
  }

  static String tagKey(String parameter, String text) {
    requireLength(parameter, text, ParameterLimits.MAX_TAG_KEY_LENGTH);
    if (!TAG_KEY.matcher(text).matches()) {
      throw new InvalidParameterException(
          parameter, "tag keys may contain letters, digits and . _ - / @ only");
    }
    return text;
  }

  static String freeText(String parameter, String text) {
    if (CONTROL.matcher(text).find()) {
      throw new InvalidParameterException(parameter, "control characters are not allowed");
    }
    return text;
  }

  private static void requireLength(String parameter, String text, int max) {
    if (text.isEmpty()) {
      throw new InvalidParameterException(parameter, "must not be empty");
    }
    if (text.length() > max) {
      throw new InvalidParameterException(parameter, "longer than " + max + " characters");
    }
  }
}
