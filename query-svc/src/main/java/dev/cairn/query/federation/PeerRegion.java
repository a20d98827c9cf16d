package dev.cairn.query.federation;

import dev.cairn.store.TraceReader;

/**
 * A peer region by name, read through its query endpoint. Its reader must answer from that region's
 * own store only (never fan out again), and fail with {@link PeerCallException} saying why when it
 * cannot answer.
 */
public record PeerRegion(String name, TraceReader reader) {}
