package io.portcullis.cli;

import io.portcullis.config.ConfigException;
import io.portcullis.config.ConfigLoader;
import io.portcullis.config.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code portcullis check-config}: validates a configuration file and reports every problem. */
@Command(name = "check-config", description = "Validate a configuration file.")
final class CheckConfigCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, defaultValue = "${env:PORTCULLIS_CONFIG:-portcullis.yaml}",
      description = "YAML configuration file (default: $PORTCULLIS_CONFIG, else portcullis.yaml)")
  Path config;

  @Override
  public Integer call() {
    if (loadOrReport(config) == null) {
      return 2;
    }
    System.out.println(config + ": valid");
    return 0;
  }

  /** The configuration in {@code file}, or null after printing every problem to stderr. */
  static GatewayConfig loadOrReport(Path file) {
    try {
      return ConfigLoader.load(file);
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return null;
    }
  }
}
