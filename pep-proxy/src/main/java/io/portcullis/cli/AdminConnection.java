package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.config.ConfigException;
import io.portcullis.config.ConfigLoader;
import io.portcullis.config.GatewayConfig;
import io.portcullis.config.HostPort;
import io.portcullis.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How the {@code approvals} commands reach the admin API: its URL and the caller's token. The
 * token is sent only in the {@code Authorization} header and never printed.
 */
final class AdminConnection {

  /** Exit code of a usage, configuration or connection problem (a refusal exits 1). */
  static final int TROUBLE = 2;

  @Option(names = "--admin-url",
      description = "admin API base URL (default: from --config's admin.listen, else "
          + "http://127.0.0.1:9090)")
  String adminUrl;

  @Option(names = {"-c", "--config"},
      description = "gateway configuration to take admin.listen from")
  Path config;

  @Option(names = "--token", defaultValue = "${env:PORTCULLIS_TOKEN}",
      description = "your OIDC token (default: $PORTCULLIS_TOKEN; prefer the variable, "
          + "command lines are visible to other users)")
  String token;

  /** A failure already explained to the user, with its exit code. */
  static final class Trouble extends Exception {
    private static final long serialVersionUID = 1L;
    final int exitCode;

    Trouble(int exitCode, String message) {
      super(message, null, false, false);
      this.exitCode = exitCode;
    }
  }

  /** An answer from the admin API. */
  record Answer(int status, String body) {
    JsonNode json() throws Trouble {
      try {
        return Json.mapper().readTree(body);
      } catch (IOException e) {
        throw new Trouble(TROUBLE, "the admin API answered something that is not JSON");
      }
    }
  }

  String baseUrl() throws Trouble {
    if (adminUrl != null) {
      return strip(adminUrl);
    }
    if (config != null) {
      GatewayConfig loaded;
      try {
        loaded = ConfigLoader.load(config);
      } catch (ConfigException e) {
        throw new Trouble(TROUBLE, e.getMessage());
      }
      if (loaded.admin() == null || loaded.admin().listen() == null) {
        throw new Trouble(TROUBLE, config + ": admin.listen is not set (or pass --admin-url)");
      }
      HostPort listen = loaded.admin().listenAddress();
      String host = switch (listen.host()) {
        case "0.0.0.0", "::", "" -> "127.0.0.1";
        default -> listen.host();
      };
      return "http://" + new HostPort(host, listen.port());
    }
    return "http://127.0.0.1:9090";
  }

  /** Calls the admin API; {@code body} null for a GET. */
  Answer call(String method, String path, String body) throws Trouble {
    if (token == null || token.isBlank()) {
      throw new Trouble(TROUBLE, "no token: set PORTCULLIS_TOKEN or pass --token");
    }
    String base = baseUrl();
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create(base + path))
          .timeout(Duration.ofSeconds(15))
          .header("Authorization", "Bearer " + token.strip())
          .header("Content-Type", "application/json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body))
          .build();
    } catch (IllegalArgumentException e) {
      throw new Trouble(TROUBLE, "--admin-url " + base + ": not a URL");
    }
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new Trouble(TROUBLE, "cannot reach the admin API at " + base + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Trouble(TROUBLE, "interrupted");
    }
  }

  /** The answer when it is a success, else a refusal (exit 1) with the server's message. */
  static Answer ok(Answer answer) throws Trouble {
    if (answer.status() >= 200 && answer.status() < 300) {
      return answer;
    }
    String message;
    try {
      message = answer.json().path("error").asText("HTTP " + answer.status());
    } catch (Trouble notJson) {
      message = "HTTP " + answer.status();
    }
    throw new Trouble(1, message);
  }

  private static String strip(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
