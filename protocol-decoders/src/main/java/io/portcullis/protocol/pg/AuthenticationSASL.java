package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/** AuthenticationSASL: the server asks for SASL, offering these mechanisms. */
public record AuthenticationSASL(List<String> mechanisms) implements BackendMessage {

  public AuthenticationSASL {
    mechanisms = List.copyOf(mechanisms);
  }

  static AuthenticationSASL decodeAfterCode(ByteBuf in) {
    List<String> names = new ArrayList<>();
    while (true) {
      if (!in.isReadable()) {
        throw new PgProtocolException("AuthenticationSASL: missing final terminator");
      }
      if (in.getByte(in.readerIndex()) == 0) {
        in.skipBytes(1);
        return new AuthenticationSASL(names);
      }
      names.add(PgCodec.readString(in));
    }
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 'R');
    out.writeInt(10);
    mechanisms.forEach(m -> PgCodec.writeString(out, m));
    out.writeByte(0);
    PgCodec.finish(out, at);
  }
}
