package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * NegotiateProtocolVersion: the newest minor version the server speaks, and the protocol options
 * it did not recognise.
 */
public record NegotiateProtocolVersion(int newestMinor, List<String> unrecognizedOptions)
    implements BackendMessage {

  public NegotiateProtocolVersion {
    unrecognizedOptions = List.copyOf(unrecognizedOptions);
  }

  public static NegotiateProtocolVersion decode(ByteBuf in) {
    int minor = PgCodec.readInt(in, "NegotiateProtocolVersion minor");
    int count = PgCodec.readInt(in, "NegotiateProtocolVersion option count");
    if (count < 0 || count > 1024) {
      throw new PgProtocolException("NegotiateProtocolVersion option count: " + count + " (expected: 0..1024)");
    }
    List<String> options = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      options.add(PgCodec.readString(in));
    }
    PgCodec.end(in, "NegotiateProtocolVersion");
    return new NegotiateProtocolVersion(minor, options);
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 'v');
    out.writeInt(newestMinor).writeInt(unrecognizedOptions.size());
    unrecognizedOptions.forEach(o -> PgCodec.writeString(out, o));
    PgCodec.finish(out, at);
  }
}
