package io.portcullis.pg;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Session ids: {@code ses_} and 16 random hex digits. */
final class PgSessionIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private PgSessionIds() {}

  static String next() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return "ses_" + HexFormat.of().formatHex(bytes);
  }
}
