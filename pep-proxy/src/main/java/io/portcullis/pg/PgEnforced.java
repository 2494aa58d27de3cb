package io.portcullis.pg;

import io.portcullis.policy.PolicyVerdict;

/**
 * What the gateway enforces for one Query or Parse.
 *
 * @param verdict the verdict, a deny whenever the gateway could not do all the decision asked
 * @param rules the masking rules for the request's results (none when denied)
 * @param once whether a person approved exactly this request: a prepared statement then binds once
 */
record PgEnforced(PolicyVerdict verdict, PgMaskRules rules, boolean once) {

  boolean allowed() {
    return verdict.allowed();
  }
}
