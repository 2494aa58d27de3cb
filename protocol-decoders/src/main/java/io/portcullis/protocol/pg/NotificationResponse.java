package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** NotificationResponse: a NOTIFY on a channel the session listens to. */
public record NotificationResponse(int processId, String channel, String payload) implements BackendMessage {

  public static NotificationResponse decode(ByteBuf in) {
    int pid = PgCodec.readInt(in, "NotificationResponse process id");
    NotificationResponse n = new NotificationResponse(pid, PgCodec.readString(in), PgCodec.readString(in));
    PgCodec.end(in, "NotificationResponse");
    return n;
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 'A');
    out.writeInt(processId);
    PgCodec.writeString(out, channel);
    PgCodec.writeString(out, payload);
    PgCodec.finish(out, at);
  }
}
