package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * StartupMessage: the protocol version the client speaks and its connection parameters.
 *
 * @param protocolVersion major version in the high 16 bits (always 3), minor in the low 16
 * @param parameters name to value in the order sent (unmodifiable); always has a non-empty
 *     {@code user}; names starting with {@code _pq_.} are protocol extensions
 */
public record StartupMessage(int protocolVersion, Map<String, String> parameters)
    implements StartupPacket {

  /** The only major version this codec speaks. */
  public static final int MAJOR_VERSION = 3;

  /** Protocol 3.0, the version every client since PostgreSQL 7.4 sends by default. */
  public static final int PROTOCOL_3_0 = 196608;

  public StartupMessage {
    if (protocolVersion >>> 16 != MAJOR_VERSION) {
      throw new IllegalArgumentException(
          "protocolVersion: " + (protocolVersion >>> 16) + "." + (protocolVersion & 0xFFFF)
              + " (expected: 3.x)");
    }
    requireNonNull(parameters, "parameters");
    Map<String, String> copy = new LinkedHashMap<>();
    parameters.forEach(
        (name, value) -> {
          // An empty name would be read back as the end of the list.
          if (PgStrings.check(name, "parameter name").isEmpty()) {
            throw new IllegalArgumentException("parameter name: empty (expected: non-empty)");
          }
          copy.put(name, PgStrings.check(value, "parameter value"));
        });
    String user = copy.get("user");
    if (user == null || user.isEmpty()) {
      throw new IllegalArgumentException("parameters: no user (expected: a non-empty user)");
    }
    parameters = Collections.unmodifiableMap(copy);
  }

  /** The minor protocol version, for example 0 for 3.0 or 2 for 3.2. */
  public int minorVersion() {
    return protocolVersion & 0xFFFF;
  }

  /** Decodes the body after the Int32 length (version included) without moving its reader index. */
  public static StartupMessage decode(ByteBuf body) {
    PayloadReader r = new PayloadReader(body, "StartupMessage");
    int version = r.readInt32("protocol version");
    if (version >>> 16 != MAJOR_VERSION) {
      throw r.error(
          "unsupported protocol version: " + (version >>> 16) + "." + (version & 0xFFFF)
              + " (expected: 3.x)");
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    while (true) {
      if (r.remaining() == 0) {
        throw r.error("missing terminator after the parameters");
      }
      String name = r.readString("parameter name");
      if (name.isEmpty()) {
        break;
      }
      String value = r.readString("value of parameter " + name);
      if (parameters.putIfAbsent(name, value) != null) {
        throw r.error("duplicate parameter: " + name);
      }
    }
    r.expectEnd();
    String user = parameters.get("user");
    if (user == null || user.isEmpty()) {
      // The server rejects this with invalid_authorization_specification; so do we.
      throw new PgProtocolException(
          "28000", "StartupMessage: no user name (expected: a non-empty user parameter)");
    }
    return new StartupMessage(version, parameters);
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = FrameWriter.beginUntyped(out);
    out.writeInt(protocolVersion);
    parameters.forEach(
        (name, value) -> {
          PgStrings.write(out, name);
          PgStrings.write(out, value);
        });
    out.writeByte(0);
    FrameWriter.end(out, lengthIndex);
  }
}
