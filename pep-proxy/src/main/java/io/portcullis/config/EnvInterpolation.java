package io.portcullis.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code ${NAME}} in a configuration string value, replaced by the environment variable NAME.
 *
 * <p>Only string values are interpolated, never keys; {@code $${} stands for a literal {@code ${}.
 * A variable that is not set, or a malformed reference, is a configuration problem: the value is
 * never silently left empty (a chain name or host that came out blank would be worse than no
 * gateway at all).
 */
final class EnvInterpolation {

  /** Context attribute holding the environment ({@code Map<String, String>}). */
  static final Object ENV = new Object();
  /** Context attribute collecting each problem ({@code List<String>}). */
  static final Object PROBLEMS = new Object();

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private EnvInterpolation() {}

  /**
   * {@code value} with each {@code ${NAME}} replaced from {@code env}.
   *
   * @throws IllegalArgumentException naming the unset variable or the malformed reference
   */
  static String apply(String value, Map<String, String> env) {
    requireNonNull(value, "value");
    requireNonNull(env, "env");
    if (!value.contains("${")) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    int i = 0;
    while (i < value.length()) {
      int dollar = value.indexOf('$', i);
      if (dollar < 0) {
        out.append(value, i, value.length());
        break;
      }
      out.append(value, i, dollar);
      if (value.startsWith("$${", dollar)) {
        out.append("${");
        i = dollar + 3;
      } else if (value.startsWith("${", dollar)) {
        int close = value.indexOf('}', dollar + 2);
        String name = close < 0 ? null : value.substring(dollar + 2, close);
        if (name == null || !NAME.matcher(name).matches()) {
          String ref = close < 0 ? value.substring(dollar) : value.substring(dollar, close + 1);
          throw new IllegalArgumentException(
              ref + " (expected: ${NAME} with NAME of A-Z a-z 0-9 _, or $${ for a literal ${)");
        }
        String replacement = env.get(name);
        if (replacement == null) {
          throw new IllegalArgumentException("${" + name + "}: environment variable " + name + " is not set");
        }
        out.append(replacement);
        i = close + 1;
      } else {
        out.append('$');
        i = dollar + 1;
      }
    }
    return out.toString();
  }

  /** The dotted path of the value the parser is on: {@code audit.postgres.chain}, {@code targets[0].host}. */
  static String path(JsonParser p) {
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = p.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.add("[" + c.getCurrentIndex() + "]");
      } else if (c.getCurrentName() != null) {
        parts.add("." + c.getCurrentName());
      }
    }
    Collections.reverse(parts);
    String path = String.join("", parts);
    return path.startsWith(".") ? path.substring(1) : path;
  }

  /**
   * Jackson's string deserializer, interpolating each value from the {@link #ENV} attribute and
   * adding problems to {@link #PROBLEMS} (so that every one is reported at once).
   */
  static final class Deserializer extends StringDeserializer {

    private static final long serialVersionUID = 1L;

    @Override
    @SuppressWarnings("unchecked")
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String value = super.deserialize(p, ctxt);
      Map<String, String> env = (Map<String, String>) ctxt.getAttribute(ENV);
      if (value == null || env == null) {
        return value;
      }
      try {
        return apply(value, env);
      } catch (IllegalArgumentException e) {
        ((List<String>) ctxt.getAttribute(PROBLEMS)).add(path(p) + ": " + e.getMessage());
        return value;
      }
    }
  }
}
