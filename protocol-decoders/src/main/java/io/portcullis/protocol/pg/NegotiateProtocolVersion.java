package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * NegotiateProtocolVersion ('v'): the server does not support the minor version or some
 * {@code _pq_.} options the client asked for.
 *
 * @param newestMinor the newest minor version of the client's major version the server supports
 * @param unrecognizedOptions the protocol options the server did not recognise
 */
public record NegotiateProtocolVersion(int newestMinor, List<String> unrecognizedOptions)
    implements BackendMessage {

  public static final byte TYPE = 'v';

  public NegotiateProtocolVersion {
    unrecognizedOptions = Checks.strings(unrecognizedOptions, "unrecognizedOptions");
  }

  public static NegotiateProtocolVersion decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "NegotiateProtocolVersion");
    int newestMinor = r.readInt32("newest minor version");
    int count = r.readCount32("option count", 1);
    List<String> options = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      options.add(r.readString("option name"));
    }
    r.expectEnd();
    return new NegotiateProtocolVersion(newestMinor, options);
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = FrameWriter.begin(out, TYPE);
    out.writeInt(newestMinor);
    out.writeInt(unrecognizedOptions.size());
    for (String option : unrecognizedOptions) {
      PgStrings.write(out, option);
    }
    FrameWriter.end(out, lengthIndex);
  }
}
