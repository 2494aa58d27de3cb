package io.portcullis.approval;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Issues approval ids: {@code apr_} and 20 random lower-case base32 characters (100 bits). */
final class ApprovalIds {

  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final Pattern FORM = Pattern.compile("apr_[a-z2-7]{20}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApprovalIds() {}

  static String next() {
    byte[] bytes = new byte[20];
    RANDOM.nextBytes(bytes);
    StringBuilder id = new StringBuilder("apr_");
    for (byte b : bytes) {
      id.append(ALPHABET[b & 31]);
    }
    return id.toString();
  }

  static boolean isValid(String id) {
    return id != null && FORM.matcher(id).matches();
  }
}
