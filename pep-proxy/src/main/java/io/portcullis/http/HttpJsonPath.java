package io.portcullis.http;

import java.util.ArrayList;
import java.util.List;

/**
 * A JSON path of a masking rule, in a small language: {@code $} then steps, each {@code .name},
 * {@code ['name']}, {@code .*} (every member), {@code [*]} (every element) or {@code [N]} (one
 * element). For example {@code $.card_number}, {@code $.data.*}, {@code $.items[*].spec.token}.
 * No filters, slices, recursive descent or unions: a rule the gateway cannot read is refused.
 *
 * @param text the path as the decision gave it
 * @param steps the steps after {@code $}
 */
public record HttpJsonPath(String text, List<Step> steps) {

  /** One step of a path. */
  public sealed interface Step {}

  /** A member of an object, by name. */
  public record Member(String name) implements Step {}

  /** Every member of an object or element of an array. */
  public record Wildcard() implements Step {}

  /** One element of an array. */
  public record Index(int index) implements Step {}

  public HttpJsonPath {
    steps = List.copyOf(steps);
  }

  /**
   * Parses a path.
   *
   * @throws IllegalArgumentException saying what is wrong, for example {@code json_path: $..a
   *     (expected: $ then .name, ['name'], .*, [*] or [N] steps)}
   */
  public static HttpJsonPath parse(String text) {
    if (text == null || !text.startsWith("$")) {
      throw bad(text);
    }
    List<Step> steps = new ArrayList<>();
    int i = 1;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '.') {
        int start = ++i;
        if (i < text.length() && text.charAt(i) == '*') {
          steps.add(new Wildcard());
          i++;
          continue;
        }
        while (i < text.length() && text.charAt(i) != '.' && text.charAt(i) != '[') {
          i++;
        }
        if (i == start) {
          throw bad(text);
        }
        steps.add(new Member(text.substring(start, i)));
      } else if (c == '[') {
        int close = text.indexOf(']', i);
        if (close < 0) {
          throw bad(text);
        }
        String inside = text.substring(i + 1, close);
        if (inside.equals("*")) {
          steps.add(new Wildcard());
        } else if (inside.length() >= 2 && (inside.startsWith("'") && inside.endsWith("'")
            || inside.startsWith("\"") && inside.endsWith("\""))) {
          steps.add(new Member(inside.substring(1, inside.length() - 1)));
        } else if (!inside.isEmpty() && inside.chars().allMatch(Character::isDigit) && inside.length() < 10) {
          steps.add(new Index(Integer.parseInt(inside)));
        } else {
          throw bad(text);
        }
        i = close + 1;
      } else {
        throw bad(text);
      }
    }
    return new HttpJsonPath(text, steps);
  }

  private static IllegalArgumentException bad(String text) {
    return new IllegalArgumentException("json_path: " + text
        + " (expected: $ then .name, ['name'], .*, [*] or [N] steps)");
  }
}
