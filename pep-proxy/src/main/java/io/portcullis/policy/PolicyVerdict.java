package io.portcullis.policy;

import static java.util.Objects.requireNonNull;

/**
 * A decision together with where it came from, for enforcement and the decision log.
 *
 * @param decision the decision to enforce
 * @param decisionId OPA's {@code decision_id}, or null when OPA did not answer
 * @param revision the policy bundle revision that produced it, or null when unknown
 * @param source where the decision came from
 * @param latencyNanos how long it took to get the decision
 */
public record PolicyVerdict(
    Decision decision, String decisionId, String revision, Source source, long latencyNanos) {

  public PolicyVerdict {
    requireNonNull(decision, "decision");
    requireNonNull(source, "source");
  }

  /** Where a verdict came from. */
  public enum Source {
    /** A fresh answer from OPA. */
    OPA,
    /** A reused decision that the policy marked cacheable. */
    CACHE,
    /** The gateway denied because it could not get a valid decision, or record it (fail closed). */
    FAILURE,
    /** The gateway denied on its own rule, without asking: a protocol message it never allows. */
    GATEWAY
  }

  /** A fail-closed deny: OPA could not give a valid decision. */
  public static PolicyVerdict failure(String reason, long latencyNanos) {
    return new PolicyVerdict(Decision.deny(reason), null, null, Source.FAILURE, latencyNanos);
  }

  /** A deny with {@code reason} in place of this verdict, keeping its id, revision and source. */
  public PolicyVerdict denied(String reason) {
    return new PolicyVerdict(Decision.deny(reason), decisionId, revision, source, latencyNanos);
  }

  /** Whether the request may go on as decided. */
  public boolean allowed() {
    return decision.allow();
  }
}
