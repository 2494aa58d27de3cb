package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.it.fixture.GatewayExtension;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Malformed and oversized packets close only their own connection, with a protocol error. */
class MalformedInputIT {

  @RegisterExtension
  static final GatewayExtension servers = new GatewayExtension();

  private static Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", servers.gateway().port());
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static byte[] startup(String... kv) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(body);
    out.writeInt(196608);
    for (String s : kv) {
      out.write(s.getBytes(StandardCharsets.UTF_8));
      out.write(0);
    }
    out.write(0);
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    new DataOutputStream(packet).writeInt(body.size() + 4);
    packet.write(body.toByteArray());
    return packet.toByteArray();
  }

  /** Reads messages until the server closes; returns the FATAL error's text (fields joined). */
  private static String fatalThenClose(DataInputStream in) throws IOException {
    String error = null;
    try {
      while (true) {
        byte type = in.readByte();
        byte[] body = new byte[in.readInt() - 4];
        in.readFully(body);
        if (type == 'E') {
          error = new String(body, StandardCharsets.UTF_8).replace('\0', '|');
        }
      }
    } catch (EOFException closed) {
      return error;
    }
  }

  /** Authenticates a raw connection and reads up to the first ReadyForQuery. */
  private static void authenticate(DataInputStream in, DataOutputStream out) throws IOException {
    out.write(startup("user", "raw", "database", "demo"));
    assertThat(in.readByte()).isEqualTo((byte) 'R');
    in.readFully(new byte[8]);
    byte[] token = (servers.gateway().token("raw", "readers") + "\0").getBytes(StandardCharsets.UTF_8);
    out.writeByte('p');
    out.writeInt(token.length + 4);
    out.write(token);
    byte type;
    do {
      type = in.readByte();
      in.readFully(new byte[in.readInt() - 4]);
    } while (type != 'Z');
  }

  @Test
  void oversizedStartupPacketIsRefusedAndOtherSessionsGoOn() throws Exception {
    try (Connection other = servers.gateway().jdbc(servers.gateway().token("ci", "readers"));
        Socket socket = connect()) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(20_000);
      out.writeInt(196608);
      String error = fatalThenClose(new DataInputStream(socket.getInputStream()));
      assertThat(error).contains("C08P01", "startup packet length: 20000 (expected: <= 10000)");
      try (Statement s = other.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  @Test
  void bytesSentAfterSslRequestBeforeTheAnswerAreRefused() throws Exception {
    // A man in the middle could append a plaintext startup after SSLRequest (CVE-2021-23214).
    try (Socket socket = connect()) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      ByteArrayOutputStream both = new ByteArrayOutputStream();
      DataOutputStream packet = new DataOutputStream(both);
      packet.writeInt(8);
      packet.writeInt(80877103);
      packet.write(startup("user", "x", "database", "demo"));
      out.write(both.toByteArray());
      out.flush();
      assertThat(fatalThenClose(new DataInputStream(socket.getInputStream()))).contains("after SSLRequest");
    }
  }

  @Test
  void protocolVersion2IsRefused() throws Exception {
    try (Socket socket = connect()) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(8);
      out.writeInt(2 << 16);
      assertThat(fatalThenClose(new DataInputStream(socket.getInputStream())))
          .contains("unsupported protocol version: 2.0 (expected: 3.x)");
    }
  }

  @Test
  void startupOptionsAreRefused() throws Exception {
    try (Socket socket = connect()) {
      new DataOutputStream(socket.getOutputStream()).write(startup("user", "x", "database", "demo",
          "options", "-c role=postgres"));
      assertThat(fatalThenClose(new DataInputStream(socket.getInputStream())))
          .contains("'options' is not allowed");
    }
  }

  @Test
  void replicationStartupIsRefused() throws Exception {
    try (Socket socket = connect()) {
      new DataOutputStream(socket.getOutputStream()).write(startup("user", "x", "database", "demo",
          "replication", "database"));
      assertThat(fatalThenClose(new DataInputStream(socket.getInputStream())))
          .contains("replication connections are not allowed");
    }
  }

  @Test
  void oversizedMessageAfterAuthenticationClosesOnlyThatConnection() throws Exception {
    try (Socket socket = connect()) {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      authenticate(in, out);
      out.writeByte('Q');
      out.writeInt(100_000_000);
      out.flush();
      assertThat(fatalThenClose(in)).contains("C08P01", "length: 99999996 (expected: <= 1048576)");
    }
  }

  @Test
  void unknownMessageTypeClosesTheConnection() throws Exception {
    try (Socket socket = connect()) {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      authenticate(in, out);
      out.writeByte('z');
      out.writeInt(4);
      out.flush();
      assertThat(fatalThenClose(in)).contains("unknown frontend message type: 'z'");
    }
  }

  @Test
  void aBadMessageQueuedBehindAPendingDecisionStillClosesTheSession() throws Exception {
    try (Socket socket = connect()) {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      authenticate(in, out);
      // A statement shape never seen before waits for OPA; the bad message is handled after it.
      byte[] sql = ("SELECT 1 AS fresh_" + System.nanoTime() + "\0").getBytes(StandardCharsets.US_ASCII);
      ByteArrayOutputStream both = new ByteArrayOutputStream();
      DataOutputStream w = new DataOutputStream(both);
      w.writeByte('Q');
      w.writeInt(sql.length + 4);
      w.write(sql);
      w.writeByte('z');
      w.writeInt(4);
      out.write(both.toByteArray());
      out.flush();
      assertThat(fatalThenClose(in)).contains("unknown frontend message type: 'z'");
    }
  }

  @Test
  void malformedQueryWithoutTerminatorClosesTheConnection() throws Exception {
    try (Socket socket = connect()) {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      authenticate(in, out);
      out.writeByte('Q');
      out.writeInt(4 + 8);
      out.write("SELECT 1".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(fatalThenClose(in)).contains("missing NUL terminator");
    }
  }
}
