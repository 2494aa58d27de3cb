package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/** The field list shared by ErrorResponse and NoticeResponse. */
final class ErrorFields {

  private ErrorFields() {}

  static List<ErrorResponse.Field> decode(ByteBuf in, String name) {
    List<ErrorResponse.Field> fields = new ArrayList<>();
    while (true) {
      byte code = PgCodec.readByte(in, name + " field code");
      if (code == 0) {
        PgCodec.end(in, name);
        return fields;
      }
      fields.add(new ErrorResponse.Field(code, PgCodec.readString(in)));
    }
  }

  static void encode(ByteBuf out, char type, List<ErrorResponse.Field> fields) {
    int at = PgCodec.begin(out, type);
    for (ErrorResponse.Field f : fields) {
      out.writeByte(f.code());
      PgCodec.writeString(out, f.value());
    }
    out.writeByte(0);
    PgCodec.finish(out, at);
  }

  static String field(List<ErrorResponse.Field> fields, char code) {
    for (ErrorResponse.Field f : fields) {
      if (f.code() == code) {
        return f.value();
      }
    }
    return null;
  }
}
