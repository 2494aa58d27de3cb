package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * ErrorResponse ('E'): an error, as coded fields (severity, SQLSTATE, message, ...).
 *
 * @param fields the fields in the order sent
 */
public record ErrorResponse(List<Field> fields) implements BackendMessage, ErrorNoticeResponse {

  public static final byte TYPE = 'E';

  public ErrorResponse {
    fields = List.copyOf(requireNonNull(fields, "fields"));
  }

  /**
   * An error with the fields every client expects: S and V (severity), C (SQLSTATE) and M, plus D
   * and H when given.
   *
   * @param severity {@code ERROR}, {@code FATAL} or {@code PANIC}
   * @param sqlState the five-character SQLSTATE, for example {@code 42501}
   * @param detail nullable
   * @param hint nullable
   */
  public static ErrorResponse of(
      String severity, String sqlState, String message, String detail, String hint) {
    requireNonNull(severity, "severity");
    if (requireNonNull(sqlState, "sqlState").length() != 5) {
      throw new IllegalArgumentException("sqlState: " + sqlState + " (expected: 5 characters)");
    }
    requireNonNull(message, "message");
    List<Field> fields = new ArrayList<>(6);
    fields.add(new Field(Field.SEVERITY, severity));
    fields.add(new Field(Field.SEVERITY_NONLOCALIZED, severity));
    fields.add(new Field(Field.SQLSTATE, sqlState));
    fields.add(new Field(Field.MESSAGE, message));
    if (detail != null) {
      fields.add(new Field(Field.DETAIL, detail));
    }
    if (hint != null) {
      fields.add(new Field(Field.HINT, hint));
    }
    return new ErrorResponse(fields);
  }

  public static ErrorResponse decode(ByteBuf payload) {
    return new ErrorResponse(ErrorNoticeResponse.readFields(payload, "ErrorResponse"));
  }

  @Override
  public void encode(ByteBuf out) {
    ErrorNoticeResponse.writeFields(out, TYPE, fields);
  }
}
