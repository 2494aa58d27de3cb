package io.portcullis.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** A {@code host:port} address from the configuration. */
public record HostPort(String host, int port) {

  /**
   * Parses {@code host:port} (IPv6 as {@code [::1]:5432}).
   *
   * @throws IllegalArgumentException naming the setting when malformed
   */
  public static HostPort parse(String setting, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(setting + ": missing (expected: host:port)");
    }
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException(setting + ": " + value + " (expected: host:port)");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(setting + ": " + value + " (expected: host:port)");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(setting + ": port " + port + " (expected: 0..65535)");
    }
    return new HostPort(host, port);
  }

  /** The socket address, resolved now. */
  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(host, port);
  }

  /** Whether the host resolves to a loopback address. */
  public boolean isLoopback() {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
