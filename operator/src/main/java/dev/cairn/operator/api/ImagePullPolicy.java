package dev.cairn.operator.api;

/** Kubernetes' image pull policies. */
public enum ImagePullPolicy {
  Always,
  IfNotPresent,
  Never
}
