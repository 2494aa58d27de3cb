package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * Close ('C'): close a prepared statement or a portal.
 *
 * @param kind {@link Describe#STATEMENT 'S'} for a prepared statement, {@link Describe#PORTAL 'P'}
 *     for a portal
 * @param name its name; empty for the unnamed one
 */
public record Close(byte kind, String name) implements FrontendMessage {

  public static final byte TYPE = 'C';

  public Close {
    Describe.checkKind(kind);
    PgStrings.check(name, "name");
  }

  public static Close decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "Close");
    byte kind = Describe.readKind(r);
    String name = r.readString("name");
    r.expectEnd();
    return new Close(kind, name);
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = FrameWriter.begin(out, TYPE);
    out.writeByte(kind);
    PgStrings.write(out, name);
    FrameWriter.end(out, lengthIndex);
  }
}
