package dev.cairn.sampler.assembly;

/** A trace taken out of the buffer to be decided, and why now. */
public record Completion(BufferedTrace trace, CompletionCause cause) {}
