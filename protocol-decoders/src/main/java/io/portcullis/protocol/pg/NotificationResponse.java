package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/**
 * NotificationResponse ('A'): a NOTIFY delivered to this session.
 *
 * @param processId the notifying backend's process ID
 * @param channel the channel name
 * @param payload the notification's payload, possibly empty
 */
public record NotificationResponse(int processId, String channel, String payload)
    implements BackendMessage {

  public static final byte TYPE = 'A';

  public NotificationResponse {
    PgStrings.check(channel, "channel");
    PgStrings.check(payload, "payload");
  }

  public static NotificationResponse decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "NotificationResponse");
    int processId = r.readInt32("process ID");
    String channel = r.readString("channel name");
    String text = r.readString("payload");
    r.expectEnd();
    return new NotificationResponse(processId, channel, text);
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = FrameWriter.begin(out, TYPE);
    out.writeInt(processId);
    PgStrings.write(out, channel);
    PgStrings.write(out, payload);
    FrameWriter.end(out, lengthIndex);
  }
}
