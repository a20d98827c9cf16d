package dev.cairn.operator.topics;

/** Kafka did not do what was asked, or did not answer in time. */
public final class TopicAdminException extends RuntimeException {
  public TopicAdminException(String message, Throwable cause) {
    super(message, cause);
  }
}
