package dev.cairn.sampler.ledger;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What to commit for one partition, in one transaction: the offset, the decision log record of what
 * was handled since the last commit (if anything was), and where the next owner must start reading
 * the log ({@link CommitMarker}).
 */
public record PartitionCommit(
    long offset, Optional<DecisionLogRecord> logRecord, OptionalLong logPointer) {}
