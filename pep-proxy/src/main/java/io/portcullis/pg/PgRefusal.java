package io.portcullis.pg;

/**
 * Why the gateway refuses to start a session (a startup it will not accept, a target it cannot
 * reach or that refuses it), with the SQLSTATE of the FATAL error the client gets. The message is
 * written for the client: it never contains a secret.
 */
final class PgRefusal extends Exception {

  private static final long serialVersionUID = 1L;
  private final String sqlState;

  PgRefusal(String sqlState, String message) {
    super(message, null, false, false);
    this.sqlState = sqlState;
  }

  String sqlState() {
    return sqlState;
  }
}
