package io.portcullis.identity;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A loopback JWKS server whose keys a test controls and whose requests it counts. */
final class TestJwks implements AutoCloseable {

  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile String body;

  private TestJwks(HttpServer server) {
    this.server = server;
  }

  static TestJwks start(JWK... keys) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    TestJwks jwks = new TestJwks(server);
    jwks.publish(keys);
    server.createContext(
        "/jwks.json",
        exchange -> {
          try (exchange) {
            jwks.requests.incrementAndGet();
            byte[] bytes = jwks.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
          }
        });
    server.start();
    return jwks;
  }

  /** Replaces the published keys (public halves only). */
  void publish(JWK... keys) {
    body = new JWKSet(List.of(keys).stream().map(JWK::toPublicJWK).toList()).toString();
  }

  int requests() {
    return requests.get();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
