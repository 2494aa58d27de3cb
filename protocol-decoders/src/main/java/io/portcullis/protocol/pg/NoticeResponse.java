package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import java.util.List;

/** NoticeResponse: a notice or warning, with the same fields as an error. */
public record NoticeResponse(List<ErrorResponse.Field> fields) implements BackendMessage {

  public NoticeResponse {
    fields = List.copyOf(fields);
  }

  public static NoticeResponse decode(ByteBuf in) {
    return new NoticeResponse(ErrorFields.decode(in, "NoticeResponse"));
  }

  /** The value of a field, or null when absent. */
  public String field(char code) {
    return ErrorFields.field(fields, code);
  }

  @Override
  public void encode(ByteBuf out) {
    ErrorFields.encode(out, 'N', fields);
  }
}
