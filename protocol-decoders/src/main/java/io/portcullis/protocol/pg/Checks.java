package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Argument checks shared by the message records' constructors. */
final class Checks {

  private Checks() {}

  /** Checks that a list or array fits an Int16 count as the server reads it (unsigned). */
  static int count16(int size, String name) {
    if (size > 0xFFFF) {
      throw new IllegalArgumentException(name + " size: " + size + " (expected: <= 65535)");
    }
    return size;
  }

  /** An unmodifiable copy that, unlike {@link List#copyOf}, keeps null elements (SQL NULL). */
  static <T> List<T> copyAllowingNulls(List<T> list, String name) {
    requireNonNull(list, name);
    count16(list.size(), name);
    return Collections.unmodifiableList(new ArrayList<>(list));
  }

  /** An unmodifiable copy of a list of protocol strings, each checked by {@link PgStrings#check}. */
  static List<String> strings(List<String> list, String name) {
    List<String> copy = List.copyOf(requireNonNull(list, name));
    for (String s : copy) {
      PgStrings.check(s, name);
    }
    return copy;
  }
}
