/**
 * The PostgreSQL gateway: startup and authentication of clients, the gateway's own connection to
 * the target, and enforcement of a policy decision on every statement.
 *
 * <p>Enforcement never answers for the server on its own: a denied statement is replaced by a
 * statement that is certain to fail on the server ({@code EXECUTE} or {@code Bind} of a prepared
 * statement that does not exist), and the server's error is rewritten into the policy's error. So
 * responses stay in order with everything already sent, the server aborts the transaction exactly
 * as a real permission error would, and the client's view of the session never drifts.
 */
package io.portcullis.pg;
