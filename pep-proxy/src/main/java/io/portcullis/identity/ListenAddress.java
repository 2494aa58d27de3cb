package io.portcullis.identity;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A parsed {@code host:port} that must be a loopback address; the dev issuer signs tokens for
 * anyone who can reach it, so it must never listen beyond this machine.
 *
 * @param address the loopback address, never resolved through DNS
 * @param port the port, 0 for any free port
 */
record ListenAddress(InetAddress address, int port) {

  ListenAddress {
    requireNonNull(address, "address");
  }

  /**
   * Parses {@code 127.0.0.1:8089}, {@code localhost:8089} or {@code [::1]:8089}.
   *
   * @throws IllegalArgumentException when malformed or not loopback
   */
  static ListenAddress parse(String listen) {
    if (listen == null || listen.isBlank()) {
      throw new IllegalArgumentException("dev_issuer.listen is required (expected: host:port)");
    }
    int colon = listen.lastIndexOf(':');
    if (colon <= 0 || colon == listen.length() - 1) {
      throw new IllegalArgumentException(
          "dev_issuer.listen: " + listen + " (expected: host:port, e.g. 127.0.0.1:8089)");
    }
    String host = listen.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "dev_issuer.listen port: " + listen.substring(colon + 1) + " (expected: 0..65535)");
    }
    return new ListenAddress(loopback(host), port);
  }

  private static InetAddress loopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return InetAddress.getLoopbackAddress();
    }
    // Only IP literals: getByName on a literal never consults DNS, so a name cannot be used to
    // sneak a public address past the loopback check.
    boolean literal = host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    InetAddress address = null;
    if (literal) {
      try {
        address = InetAddress.getByName(host);
      } catch (UnknownHostException e) {
        address = null;
      }
    }
    if (address == null || !address.isLoopbackAddress()) {
      throw new IllegalArgumentException(
          "dev_issuer.listen host "
              + host
              + " is not a loopback address (expected: 127.0.0.1, ::1 or localhost); the dev"
              + " issuer signs tokens for anyone who can reach it");
    }
    return address;
  }

  /** The socket address to bind. */
  InetSocketAddress socketAddress() {
    return new InetSocketAddress(address, port);
  }

  /** {@code http://host:port} for the given (bound) port. */
  String httpUrl(int boundPort) {
    String host = address.getHostAddress();
    if (host.contains(":")) {
      int zone = host.indexOf('%');
      host = "[" + (zone < 0 ? host : host.substring(0, zone)) + "]";
    }
    return "http://" + host + ":" + boundPort;
  }
}
