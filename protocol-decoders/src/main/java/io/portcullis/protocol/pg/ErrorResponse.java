package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/** ErrorResponse: an error, as a list of typed fields (S severity, C SQLSTATE, M message, ...). */
public record ErrorResponse(List<Field> fields) implements BackendMessage {

  /**
   * One field of an error or notice.
   *
   * @param code the field type ('S', 'V', 'C', 'M', 'D', 'H', ...)
   * @param value its text
   */
  public record Field(byte code, String value) {}

  public ErrorResponse {
    fields = List.copyOf(fields);
  }

  /** An error with severity, SQLSTATE, message, and optional detail and hint. */
  public static ErrorResponse of(String severity, String sqlState, String message, String detail,
      String hint) {
    List<Field> fields = new ArrayList<>();
    fields.add(new Field((byte) 'S', severity));
    fields.add(new Field((byte) 'V', severity));
    fields.add(new Field((byte) 'C', sqlState));
    fields.add(new Field((byte) 'M', message));
    if (detail != null) {
      fields.add(new Field((byte) 'D', detail));
    }
    if (hint != null) {
      fields.add(new Field((byte) 'H', hint));
    }
    return new ErrorResponse(fields);
  }

  public static ErrorResponse decode(ByteBuf in) {
    return new ErrorResponse(ErrorFields.decode(in, "ErrorResponse"));
  }

  /** The value of a field, or null when absent. */
  public String field(char code) {
    return ErrorFields.field(fields, code);
  }

  @Override
  public void encode(ByteBuf out) {
    ErrorFields.encode(out, 'E', fields);
  }
}
