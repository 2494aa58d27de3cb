package io.portcullis.cli;

import io.portcullis.config.GatewayConfig;
import io.portcullis.gateway.Gateway;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code portcullis run}: starts the gateway and runs until stopped. */
@Command(name = "run", description = "Start the gateway and run until SIGTERM or SIGINT.")
final class RunCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, defaultValue = "${env:PORTCULLIS_CONFIG:-portcullis.yaml}",
      description = "YAML configuration file (default: $PORTCULLIS_CONFIG, else portcullis.yaml)")
  Path config;

  @Override
  public Integer call() throws Exception {
    GatewayConfig settings = CheckConfigCommand.loadOrReport(config);
    if (settings == null) {
      return 2;
    }
    Gateway gateway = Gateway.start(settings, System.getenv());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      stopped.countDown();
    }, "shutdown"));
    System.err.println("portcullis ready: postgres on port " + gateway.postgresPort());
    stopped.await();
    return 0;
  }
}
