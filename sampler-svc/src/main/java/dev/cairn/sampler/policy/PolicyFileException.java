package dev.cairn.sampler.policy;

/** A policy file that cannot be used, with where and why in the message. */
public final class PolicyFileException extends RuntimeException {

  public PolicyFileException(String message) {
    super(message);
  }

  public PolicyFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
