package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * Describe ('D'): ask for the description of a prepared statement or a portal.
 *
 * @param kind {@code 'S'} for a prepared statement, {@code 'P'} for a portal
 * @param name its name; empty for the unnamed one
 */
public record Describe(byte kind, String name) implements FrontendMessage {

  public static final byte TYPE = 'D';

  /** Kind of a prepared statement. */
  public static final byte STATEMENT = 'S';

  /** Kind of a portal. */
  public static final byte PORTAL = 'P';

  public Describe {
    checkKind(kind);
    PgStrings.check(name, "name");
  }

  public static Describe decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "Describe");
    byte kind = readKind(r);
    String name = r.readString("name");
    r.expectEnd();
    return new Describe(kind, name);
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = FrameWriter.begin(out, TYPE);
    out.writeByte(kind);
    PgStrings.write(out, name);
    FrameWriter.end(out, lengthIndex);
  }

  static void checkKind(byte kind) {
    if (kind != STATEMENT && kind != PORTAL) {
      throw new IllegalArgumentException(
          "kind: " + FrameWriter.describeType(kind) + " (expected: 'S' or 'P')");
    }
  }

  static byte readKind(PayloadReader r) {
    byte kind = r.readByte("kind");
    if (kind != STATEMENT && kind != PORTAL) {
      throw r.error("kind: " + FrameWriter.describeType(kind) + " (expected: 'S' or 'P')");
    }
    return kind;
  }
}
