package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * The body shared by ErrorResponse and NoticeResponse: a list of coded fields.
 *
 * <p>{@link Field} is reachable as {@code ErrorResponse.Field} and {@code NoticeResponse.Field}.
 */
public sealed interface ErrorNoticeResponse permits ErrorResponse, NoticeResponse {

  /** The fields in the order sent. */
  List<Field> fields();

  /** The value of the first field with this code, or null if there is none. */
  default String field(char code) {
    for (Field f : fields()) {
      if (f.code() == (byte) code) {
        return f.value();
      }
    }
    return null;
  }

  /**
   * One field of an ErrorResponse or NoticeResponse.
   *
   * @param code the field type, for example {@link #MESSAGE 'M'}; never 0, which ends the list
   * @param value the field's value
   */
  record Field(byte code, String value) {

    public static final byte SEVERITY = 'S';
    public static final byte SEVERITY_NONLOCALIZED = 'V';
    public static final byte SQLSTATE = 'C';
    public static final byte MESSAGE = 'M';
    public static final byte DETAIL = 'D';
    public static final byte HINT = 'H';
    public static final byte POSITION = 'P';
    public static final byte WHERE = 'W';

    public Field {
      if (code == 0) {
        throw new IllegalArgumentException("code: 0 (expected: non-zero, 0 ends the field list)");
      }
      PgStrings.check(value, "value");
    }
  }

  /** Reads fields up to the terminating zero byte; the payload must end there. */
  static List<Field> readFields(ByteBuf payload, String message) {
    PayloadReader r = new PayloadReader(payload, message);
    List<Field> fields = new ArrayList<>();
    while (true) {
      if (r.remaining() == 0) {
        throw r.error("missing terminator after the fields");
      }
      byte code = r.readByte("field type");
      if (code == 0) {
        break;
      }
      fields.add(new Field(code, r.readString("field " + FrameWriter.describeType(code))));
    }
    r.expectEnd();
    return fields;
  }

  static void writeFields(ByteBuf out, byte type, List<Field> fields) {
    int lengthIndex = FrameWriter.begin(out, type);
    for (Field f : fields) {
      out.writeByte(f.code());
      PgStrings.write(out, f.value());
    }
    out.writeByte(0);
    FrameWriter.end(out, lengthIndex);
  }
}
