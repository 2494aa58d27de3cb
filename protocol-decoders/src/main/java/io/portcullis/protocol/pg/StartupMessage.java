package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * StartupMessage: the protocol version and the session's parameters (user, database, ...).
 *
 * @param protocolVersion major version in the high 16 bits, minor in the low
 * @param parameters name to value, in the order sent
 */
public record StartupMessage(int protocolVersion, Map<String, String> parameters) implements StartupPacket {

  public StartupMessage {
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  static StartupMessage decodeAfterCode(int version, ByteBuf in) {
    Map<String, String> params = new LinkedHashMap<>();
    while (true) {
      if (!in.isReadable()) {
        throw new PgProtocolException("StartupMessage: missing final terminator");
      }
      if (in.getByte(in.readerIndex()) == 0) {
        in.skipBytes(1);
        break;
      }
      String name = PgCodec.readString(in);
      String value = PgCodec.readString(in);
      if (params.put(name, value) != null) {
        throw new PgProtocolException("StartupMessage: duplicate parameter " + name);
      }
    }
    PgCodec.end(in, "StartupMessage");
    if (!params.containsKey("user")) {
      throw new PgProtocolException("28000", "StartupMessage: no user given");
    }
    return new StartupMessage(version, params);
  }

  @Override
  public void encode(ByteBuf out) {
    int start = out.writerIndex();
    out.writeInt(0).writeInt(protocolVersion);
    parameters.forEach((k, v) -> {
      PgCodec.writeString(out, k);
      PgCodec.writeString(out, v);
    });
    out.writeByte(0);
    out.setInt(start, out.writerIndex() - start);
  }
}
