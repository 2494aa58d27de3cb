package io.portcullis.ssh;

import static java.util.Objects.requireNonNull;

import io.portcullis.mask.DataPattern;
import io.portcullis.mask.MaskStrategy;
import io.portcullis.policy.PolicyVerdict;
import java.util.Map;

/**
 * What the gateway enforces for one SSH request: the verdict (an allow only when the gateway can
 * do all it asks, and it is on record), the output masks, and whether output is captured in full.
 *
 * @param verdict the verdict as enforced
 * @param requestNo the request's number in its session
 * @param masks the data patterns to mask in the output and each one's strategy; empty for none
 * @param recordFull whether the decision said {@code record: "full"}
 */
public record SshEnforced(PolicyVerdict verdict, long requestNo, Map<DataPattern, MaskStrategy> masks,
    boolean recordFull) {

  public SshEnforced {
    requireNonNull(verdict, "verdict");
    masks = Map.copyOf(masks);
  }

  /** Whether the request goes on to the target. */
  public boolean allowed() {
    return verdict.allowed() && !verdict.decision().terminates();
  }

  /** The policy's reasons, joined for a one-line message. */
  public String reasons() {
    var reasons = verdict.decision().reasons();
    return reasons.isEmpty() ? "no reason given" : String.join("; ", reasons);
  }
}
