package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * Execute ('E'): run a portal.
 *
 * @param portal the portal's name; empty for the unnamed portal
 * @param maxRows the most rows to return; 0 for no limit (the server treats negatives the same)
 */
public record Execute(String portal, int maxRows) implements FrontendMessage {

  public static final byte TYPE = 'E';

  public Execute {
    PgStrings.check(portal, "portal");
  }

  public static Execute decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "Execute");
    String portal = r.readString("portal name");
    int maxRows = r.readInt32("maximum row count");
    r.expectEnd();
    return new Execute(portal, maxRows);
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = FrameWriter.begin(out, TYPE);
    PgStrings.write(out, portal);
    out.writeInt(maxRows);
    FrameWriter.end(out, lengthIndex);
  }
}
