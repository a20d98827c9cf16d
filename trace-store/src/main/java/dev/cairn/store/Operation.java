package dev.cairn.store;

import dev.cairn.model.SpanKind;

/** A span name as one service records it, with its kind. */
public record Operation(String name, SpanKind kind) {}
