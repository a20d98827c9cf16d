package dev.cairn.sampler;

import dev.cairn.sampler.assembly.CompletionCause;
import java.util.ArrayList;
import java.util.List;

/** {@link SamplerEvents} that tests read back. */
final class CountingEvents implements SamplerEvents {

  final List<String> rejected = new ArrayList<>();
  final List<CompletionCause> causes = new ArrayList<>();
  long received;
  long lateKept;
  long lateDropped;
  long replayed;
  long revokedTraces;
  final List<String> failures = new ArrayList<>();

  @Override
  public void received(int spans) {
    received += spans;
  }

  @Override
  public void rejected(RejectReason reason) {
    rejected.add(reason.tag());
  }

  @Override
  public void decided(SamplingDecision decision, CompletionCause cause, int spans) {
    causes.add(cause);
  }

  @Override
  public void late(SamplingDecision decision, int spans) {
    if (decision.keep()) {
      lateKept += spans;
    } else {
      lateDropped += spans;
    }
  }

  @Override
  public void replayed(int spans) {
    replayed += spans;
  }

  @Override
  public void revoked(int traces, int spans) {
    revokedTraces += traces;
  }

  @Override
  public void failed(String what) {
    failures.add(what);
  }
}
