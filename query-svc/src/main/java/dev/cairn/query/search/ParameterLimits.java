package dev.cairn.query.search;

/**
 * Bounds on caller-supplied values. They keep a single request from asking the store for unbounded
 * work and keep absurd input (megabyte tags, NUL bytes) away from the database, which would
 * otherwise turn them into server errors.
 */
public final class ParameterLimits {

  /** Default page size when the caller names none. */
  public static final int DEFAULT_LIMIT = 20;

  /** Tag filters per search; each one is a join in the store's plan. */
  public static final int MAX_TAGS = 16;

  public static final int MAX_SERVICE_LENGTH = 256;
  public static final int MAX_OPERATION_LENGTH = 512;
  public static final int MAX_TAG_KEY_LENGTH = 256;
  public static final int MAX_TAG_VALUE_LENGTH = 1024;

  /** Longer than any duration, timestamp or cursor this API issues or accepts. */
  public static final int MAX_SCALAR_LENGTH = 64;

  private ParameterLimits() {}
}
