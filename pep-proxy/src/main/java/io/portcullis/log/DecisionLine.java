package io.portcullis.log;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * One decision, as one JSON line of the decision log. It carries no literal values: SQL is
 * logged as its fingerprint's normalised text (literals replaced), or only as a hash and length
 * when it could not be normalised, because literals can be secrets.
 *
 * @param ts when the decision was enforced
 * @param session session id
 * @param protocol the session's protocol
 * @param target the target name
 * @param subject the identity's subject
 * @param message what was decided ({@code query}, {@code parse}, {@code bind}, ...)
 * @param request the request without literal values
 * @param fingerprint the statement fingerprint, or null
 * @param allow whether the request went on
 * @param reasons the policy's reasons
 * @param source {@code opa}, {@code cache} or {@code failure}
 * @param decisionId OPA's decision id, or null
 * @param revision the policy bundle revision, or null
 * @param latencyUs time to decide, in microseconds
 */
public record DecisionLine(
    Instant ts,
    String session,
    String protocol,
    String target,
    String subject,
    String message,
    String request,
    String fingerprint,
    boolean allow,
    List<String> reasons,
    String source,
    String decisionId,
    String revision,
    long latencyUs) {

  /** How SQL appears in the log: normalised text when known, else a hash and length. */
  public static String describeSql(String normalized, String sql) {
    if (normalized != null) {
      return normalized;
    }
    if (sql == null) {
      return null;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8));
      return "sql sha256:" + HexFormat.of().formatHex(digest, 0, 12) + " length:" + sql.length();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
