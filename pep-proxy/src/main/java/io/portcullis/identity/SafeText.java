package io.portcullis.identity;

import java.util.List;

/**
 * Makes values taken from a token fit for an error message or a log line: short, printable, and
 * never able to forge a second log line.
 */
final class SafeText {

  private static final int MAX_CHARS = 64;
  private static final int MAX_ITEMS = 5;

  private SafeText() {}

  /** The value as printable ASCII, at most 64 characters, {@code ...} marking a cut. */
  static String of(Object value) {
    String s = String.valueOf(value);
    StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_CHARS + 3));
    for (int i = 0; i < s.length() && out.length() < MAX_CHARS; i++) {
      char c = s.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (s.length() > MAX_CHARS) {
      out.append("...");
    }
    return out.toString();
  }

  /** A list as {@code [a, b]}, each item made safe, at most five items. */
  static String list(List<?> values) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < values.size() && i < MAX_ITEMS; i++) {
      out.append(i == 0 ? "" : ", ").append(of(values.get(i)));
    }
    return out.append(values.size() > MAX_ITEMS ? ", ...]" : "]").toString();
  }
}
