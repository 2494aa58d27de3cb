package io.portcullis.cli;

import io.portcullis.config.ConfigException;
import io.portcullis.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code portcullis check-config}: validates a configuration file and reports every problem. */
@Command(name = "check-config", description = "Validate a configuration file.")
final class CheckConfigCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, required = true, description = "YAML configuration file")
  Path config;

  @Override
  public Integer call() {
    try {
      ConfigLoader.load(config);
      System.out.println(config + ": valid");
      return 0;
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return 2;
    }
  }
}
