package io.portcullis.config;

import java.util.List;

/** A configuration that cannot be used, with every problem found. */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super("invalid configuration:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public ConfigException(String problem, Throwable cause) {
    super("invalid configuration: " + problem, cause);
    this.problems = List.of(problem);
  }

  /** Each problem, one setting each. */
  public List<String> problems() {
    return problems;
  }
}
