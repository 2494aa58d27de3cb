package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;

/**
 * DataRow ('D'): one row of a result.
 *
 * @param values the column values in wire form; a null element is SQL NULL (arrays not copied)
 */
public record DataRow(List<byte[]> values) implements BackendMessage {

  public static final byte TYPE = 'D';

  public DataRow {
    values = Checks.copyAllowingNulls(values, "values");
  }

  public static DataRow decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "DataRow");
    int count = r.readCount16("column count", 4);
    byte[][] values = new byte[count][];
    for (int i = 0; i < count; i++) {
      values[i] = r.readNullableBytes("column value");
    }
    r.expectEnd();
    return new DataRow(Arrays.asList(values));
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = FrameWriter.begin(out, TYPE);
    out.writeShort(values.size());
    for (byte[] value : values) {
      FrameWriter.writeNullableBytes(out, value);
    }
    FrameWriter.end(out, lengthIndex);
  }
}
