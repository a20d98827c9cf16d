package dev.cairn.loadgen.generate;

import java.util.Locale;

/**
 * How unevenly traffic falls on the fleet: entry-point services and their root operations (so
 * {@code http.route}) are picked by Zipf's law instead of uniformly, and every server span of a
 * trace carries the trace's {@code app.customer_id}, also Zipf-distributed over {@code customers}.
 * {@link #NONE} keeps the uniform choices and adds no customer attribute.
 *
 * @param exponent Zipf exponent of all three choices; 0 = uniform
 * @param customers distinct customer ids ({@code cust-0000001} is the most common); 0 = none
 */
public record Skew(double exponent, int customers) {

  public static final String CUSTOMER_KEY = "app.customer_id";

  public static final Skew NONE = new Skew(0, 0);

  public Skew {
    if (!(exponent >= 0)) {
      throw new IllegalArgumentException("exponent must be >= 0: " + exponent);
    }
    if (customers < 0) {
      throw new IllegalArgumentException("customers must be >= 0: " + customers);
    }
  }

  /**
   * The customer id of a Zipf rank (1 = the most common); ranks beyond {@code customers} never
   * occur.
   */
  public static String customerId(int rank) {
    return String.format(Locale.ROOT, "cust-%07d", rank);
  }
}
