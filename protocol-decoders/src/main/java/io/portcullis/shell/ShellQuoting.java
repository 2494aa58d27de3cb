package io.portcullis.shell;

import java.util.List;

/** Quotes words for a POSIX shell so that it reads back exactly those words. */
public final class ShellQuoting {

  private ShellQuoting() {}

  /** The words joined by spaces, each quoted where it needs to be. */
  public static String join(List<String> words) {
    StringBuilder out = new StringBuilder();
    for (String word : words) {
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append(quote(word));
    }
    return out.toString();
  }

  /** One word: as it is when made only of safe characters, else in single quotes. */
  public static String quote(String word) {
    if (!word.isEmpty() && word.chars().allMatch(ShellQuoting::safe)) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  private static boolean safe(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "-_./:,+%@".indexOf(c) >= 0;
  }
}
