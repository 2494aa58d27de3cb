package io.portcullis.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Matches request paths against route templates with {@code {name}} segments. */
final class PathTemplate {

  private PathTemplate() {}

  static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/", -1)) {
      out.add(s);
    }
    return out;
  }

  /** The template's parameters bound from {@code path}, or null when it does not match. */
  static Map<String, String> match(List<String> template, List<String> path) {
    if (template.size() != path.size()) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < template.size(); i++) {
      String t = template.get(i);
      String p = path.get(i);
      if (t.startsWith("{") && t.endsWith("}")) {
        if (p.isEmpty()) {
          return null;
        }
        params.put(t.substring(1, t.length() - 1), p);
      } else if (!t.equals(p)) {
        return null;
      }
    }
    return params;
  }
}
