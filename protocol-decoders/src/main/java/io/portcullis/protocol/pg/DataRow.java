package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import java.util.Collections;
import java.util.List;

/** DataRow: one row; a null element is SQL NULL. */
public record DataRow(List<byte[]> values) implements BackendMessage {

  public DataRow {
    values = Collections.unmodifiableList(new java.util.ArrayList<>(values));
  }

  public static DataRow decode(ByteBuf in) {
    int count = PgCodec.readCount(in, "DataRow column count");
    List<byte[]> values = PgCodec.readValues(in, count, "DataRow column");
    PgCodec.end(in, "DataRow");
    return new DataRow(values);
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 'D');
    out.writeShort(values.size());
    PgCodec.writeValues(out, values);
    PgCodec.finish(out, at);
  }
}
