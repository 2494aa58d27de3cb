package io.portcullis.pg;

import io.portcullis.policy.PolicyVerdict;

/**
 * What the gateway enforces for one Query or Parse.
 *
 * @param verdict the verdict, a deny whenever the gateway could not do all the decision asked
 * @param rules the masking rules for the request's results (none when denied)
 * @param once whether a person approved exactly this request: a prepared statement then binds once
 * @param requestNo the request's number in its session, as the audit log knows it
 */
record PgEnforced(PolicyVerdict verdict, PgMaskRules rules, boolean once, long requestNo) {

  /** A tally of what comes back for one run of this request, for the audit log. */
  PgTally tally(PgSession session) {
    boolean full = "full".equals(verdict.decision().record());
    return new PgTally(requestNo, full ? session.services.audit().fullResponseMaxBytes() : 0);
  }


  boolean allowed() {
    return verdict.allowed();
  }
}
