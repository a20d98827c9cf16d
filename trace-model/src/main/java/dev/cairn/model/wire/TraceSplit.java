package dev.cairn.model.wire;

import java.util.List;

/**
 * A batch cut into wire records ({@link TraceWireCodec#splitByTrace}).
 *
 * @param parts one or more parts per trace, in order of first appearance; a trace's parts are
 *     adjacent and keep the order of its spans
 * @param oversizedSpans spans left out because, with their resource and scope, they alone are
 *     larger than one record
 */
public record TraceSplit(List<TracePart> parts, int oversizedSpans) {
  public TraceSplit {
    parts = List.copyOf(parts);
  }
}
