package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/** RowDescription: the columns of the rows that follow. */
public record RowDescription(List<Field> fields) implements BackendMessage {

  /**
   * One column.
   *
   * @param name column name
   * @param tableOid the table's OID, or 0 when not a table column
   * @param columnAttribute the column's attribute number, or 0
   * @param dataTypeOid the type's OID
   * @param dataTypeSize the type's size (negative for variable width)
   * @param typeModifier the type modifier
   * @param format 0 text, 1 binary
   */
  public record Field(String name, int tableOid, short columnAttribute, int dataTypeOid,
      short dataTypeSize, int typeModifier, short format) {}

  public RowDescription {
    fields = List.copyOf(fields);
  }

  public static RowDescription decode(ByteBuf in) {
    int count = PgCodec.readCount(in, "RowDescription field count");
    List<Field> fields = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String name = PgCodec.readString(in);
      PgCodec.need(in, 18, "RowDescription field");
      fields.add(new Field(name, in.readInt(), in.readShort(), in.readInt(), in.readShort(),
          in.readInt(), in.readShort()));
    }
    PgCodec.end(in, "RowDescription");
    return new RowDescription(fields);
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 'T');
    out.writeShort(fields.size());
    for (Field f : fields) {
      PgCodec.writeString(out, f.name());
      out.writeInt(f.tableOid()).writeShort(f.columnAttribute()).writeInt(f.dataTypeOid())
          .writeShort(f.dataTypeSize()).writeInt(f.typeModifier()).writeShort(f.format());
    }
    PgCodec.finish(out, at);
  }
}
