package io.portcullis.sql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The fingerprint of SQL: its tokens with every literal replaced by {@code ?}, comments and
 * white space collapsed, and unquoted identifiers folded. Two texts share a fingerprint only when
 * they differ in nothing but literal values, layout and case of unquoted names.
 */
public final class SqlFingerprinter {

  /** Texts longer than this are analysed afresh every time rather than fingerprinted. */
  static final int MAX_LENGTH = 64 * 1024;

  /**
   * A fingerprint.
   *
   * @param normalized the normalised text, with no literal values in it
   * @param hash hex SHA-256 of {@code normalized}, truncated to 128 bits
   */
  public record Fingerprint(String normalized, String hash) {}

  private SqlFingerprinter() {}

  /** The fingerprint of {@code sql}, or empty when it is unusual and must not be cached. */
  public static Optional<Fingerprint> fingerprint(String sql) {
    if (sql.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    SqlLexer.Result result = SqlLexer.lex(sql);
    if (result.unusual() != null) {
      return Optional.empty();
    }
    return Optional.of(of(result.statements()));
  }

  static Fingerprint of(List<List<SqlToken>> statements) {
    StringBuilder text = new StringBuilder();
    for (List<SqlToken> statement : statements) {
      if (!text.isEmpty()) {
        text.append(" ; ");
      }
      for (int k = 0; k < statement.size(); k++) {
        if (k > 0) {
          text.append(' ');
        }
        text.append(statement.get(k).normalized());
      }
    }
    String normalized = text.toString();
    return new Fingerprint(normalized, hash(normalized));
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
