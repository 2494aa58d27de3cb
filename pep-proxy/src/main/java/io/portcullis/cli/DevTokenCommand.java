package io.portcullis.cli;

import io.portcullis.config.GatewayConfig;
import io.portcullis.identity.DevIssuer;
import io.portcullis.identity.DevIssuerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portcullis dev-token}: signs a short-lived token with the development issuer's key, for
 * demos and tests. Works only when the configuration enables the development issuer.
 */
@Command(name = "dev-token", description = "Print a token signed by the development issuer.")
final class DevTokenCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, defaultValue = "${env:PORTCULLIS_CONFIG:-portcullis.yaml}",
      description = "YAML configuration file (default: $PORTCULLIS_CONFIG, else portcullis.yaml)")
  Path config;

  @Option(names = "--subject", required = true, description = "the token's sub")
  String subject;

  @Option(names = "--groups", split = ",", description = "comma-separated groups")
  List<String> groups = List.of();

  @Option(names = "--ttl", description = "lifetime, e.g. PT15M (default: the issuer's)")
  Duration ttl;

  @Override
  public Integer call() throws Exception {
    GatewayConfig settings = CheckConfigCommand.loadOrReport(config);
    if (settings == null) {
      return 2;
    }
    DevIssuerSettings dev = settings.identity().devIssuer();
    if (dev == null || !dev.enabled()) {
      System.err.println("the development issuer is off in " + config
          + " (set identity.dev_issuer.enabled: true)");
      return 2;
    }
    var identity = settings.identity();
    String issuer = identity.issuer();
    String audience = identity.audiences().get(0);
    Duration lifetime = ttl != null ? ttl : Duration.ofSeconds(dev.defaultTtlS());
    System.out.println(DevIssuer.mintOffline(Path.of(dev.keyFile()), issuer, audience, subject,
        groups, lifetime));
    return 0;
  }
}
