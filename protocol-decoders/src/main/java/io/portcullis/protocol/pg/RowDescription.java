package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * RowDescription ('T'): the columns of the rows that follow.
 *
 * @param fields one per column, in order
 */
public record RowDescription(List<Field> fields) implements BackendMessage {

  public static final byte TYPE = 'T';

  /** Fixed bytes per field after its name. */
  private static final int FIXED_FIELD_BYTES = 18;

  public RowDescription {
    fields = List.copyOf(requireNonNull(fields, "fields"));
    Checks.count16(fields.size(), "fields");
  }

  /**
   * One column.
   *
   * @param name the column's name
   * @param tableOid the table's OID if the column is a table column, else 0
   * @param columnAttribute the column's attribute number if a table column, else 0
   * @param dataTypeOid the data type's OID
   * @param dataTypeSize pg_type.typlen; negative for variable-width types
   * @param typeModifier pg_attribute.atttypmod
   * @param format 0 text, 1 binary (0 in a Describe reply: the format is not yet known)
   */
  public record Field(
      String name,
      int tableOid,
      short columnAttribute,
      int dataTypeOid,
      short dataTypeSize,
      int typeModifier,
      short format) {

    public Field {
      PgStrings.check(name, "name");
    }
  }

  public static RowDescription decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "RowDescription");
    int count = r.readCount16("field count", FIXED_FIELD_BYTES + 1);
    List<Field> fields = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      fields.add(
          new Field(
              r.readString("field name"),
              r.readInt32("table OID"),
              r.readInt16("column attribute number"),
              r.readInt32("data type OID"),
              r.readInt16("data type size"),
              r.readInt32("type modifier"),
              r.readInt16("format code")));
    }
    r.expectEnd();
    return new RowDescription(fields);
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = FrameWriter.begin(out, TYPE);
    out.writeShort(fields.size());
    for (Field f : fields) {
      PgStrings.write(out, f.name());
      out.writeInt(f.tableOid());
      out.writeShort(f.columnAttribute());
      out.writeInt(f.dataTypeOid());
      out.writeShort(f.dataTypeSize());
      out.writeInt(f.typeModifier());
      out.writeShort(f.format());
    }
    FrameWriter.end(out, lengthIndex);
  }
}
