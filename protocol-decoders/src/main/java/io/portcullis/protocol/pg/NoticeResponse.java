package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * NoticeResponse ('N'): a warning or notice, as coded fields like an ErrorResponse's.
 *
 * @param fields the fields in the order sent
 */
public record NoticeResponse(List<Field> fields) implements BackendMessage, ErrorNoticeResponse {

  public static final byte TYPE = 'N';

  public NoticeResponse {
    fields = List.copyOf(requireNonNull(fields, "fields"));
  }

  public static NoticeResponse decode(ByteBuf payload) {
    return new NoticeResponse(ErrorNoticeResponse.readFields(payload, "NoticeResponse"));
  }

  @Override
  public void encode(ByteBuf out) {
    ErrorNoticeResponse.writeFields(out, TYPE, fields);
  }
}
