package io.portcullis.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An upstream that accepts every HTTP/1.1 Upgrade with 101 and then echoes what it receives in
 * upper case: the far end of an upgraded connection (WebSocket or SPDY frames are bytes to the
 * gateway). curl 7.88 has no WebSocket client, so the test speaks the upgrade over a socket.
 */
final class UpgradeEchoServer implements AutoCloseable {

  private final ServerSocket server;
  private volatile String lastHead = "";

  private UpgradeEchoServer(ServerSocket server) {
    this.server = server;
  }

  static UpgradeEchoServer start() throws IOException {
    UpgradeEchoServer echo = new UpgradeEchoServer(new ServerSocket(0, 16, InetAddress.getLoopbackAddress()));
    Thread.ofVirtual().name("upgrade-echo").start(echo::accept);
    return echo;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread.ofVirtual().start(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      lastHead = readHead(in);
      out.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] buffer = new byte[4096];
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(new String(buffer, 0, n, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT)
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    } catch (IOException e) {
      // The client went away: nothing to echo.
    }
  }

  /** Reads an HTTP head up to its empty line, byte by byte (what follows stays in the stream). */
  static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed inside the head: " + head);
      }
      head.append((char) b);
      if (head.length() > 65_536) {
        throw new IOException("head too long");
      }
    }
    return head.toString();
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** The head of the last request received. */
  String lastHead() {
    return lastHead;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
