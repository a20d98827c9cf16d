package dev.cairn.sampler;

import dev.cairn.sampler.assembly.CompletionCause;

/** Port: what the tail sampler counts; the metrics adapter implements it. */
public interface SamplerEvents {

  SamplerEvents NONE =
      new SamplerEvents() {
        @Override
        public void received(int spans) {}

        @Override
        public void rejected(RejectReason reason) {}

        @Override
        public void decided(SamplingDecision decision, CompletionCause cause, int spans) {}

        @Override
        public void late(SamplingDecision decision, int spans) {}

        @Override
        public void replayed(int spans) {}

        @Override
        public void revoked(int traces, int spans) {}

        @Override
        public void failed(String what) {}
      };

  /** A valid record with this many spans arrived. */
  void received(int spans);

  /** A record was refused (malformed); skipped, never retried. */
  void rejected(RejectReason reason);

  /** A trace of this many spans was decided. */
  void decided(SamplingDecision decision, CompletionCause cause, int spans);

  /** A record of a trace already decided arrived and followed that decision. */
  void late(SamplingDecision decision, int spans);

  /** A replayed record that an earlier owner of its partition had handled was skipped. */
  void replayed(int spans);

  /** A partition went to another replica: its undecided traces are dropped here, replayed there. */
  void revoked(int traces, int spans);

  /** A policy or an observer threw (a bug): the trace is kept, the failure counted and logged. */
  void failed(String what);
}
