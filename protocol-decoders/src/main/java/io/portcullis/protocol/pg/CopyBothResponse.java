package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;

/**
 * CopyBothResponse ('W'): COPY data flows both ways (streaming replication).
 *
 * @param overallFormat 0 for textual COPY, 1 for binary
 * @param columnFormats one per column: 0 text, 1 binary (not copied: treat as read-only)
 */
public record CopyBothResponse(byte overallFormat, short[] columnFormats) implements BackendMessage {

  public static final byte TYPE = 'W';

  public CopyBothResponse {
    Checks.count16(requireNonNull(columnFormats, "columnFormats").length, "columnFormats");
  }

  public static CopyBothResponse decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "CopyBothResponse");
    byte overallFormat = r.readByte("overall format");
    short[] columnFormats = Formats.read(r, "column format");
    r.expectEnd();
    return new CopyBothResponse(overallFormat, columnFormats);
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = FrameWriter.begin(out, TYPE);
    out.writeByte(overallFormat);
    Formats.write(out, columnFormats);
    FrameWriter.end(out, lengthIndex);
  }
}
