package dev.cairn.sampler.ledger;

/** A decision log record and its offset in the log. */
public record LogEntry(long offset, DecisionLogRecord record) {}
