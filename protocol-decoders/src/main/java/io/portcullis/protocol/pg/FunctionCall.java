package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;

/**
 * FunctionCall ('F'): call a function by OID through the legacy fast-path interface.
 *
 * @param functionOid the function's OID
 * @param argumentFormats none (all text), one (for all) or one per argument: 0 text, 1 binary
 * @param arguments the argument values; a null element is SQL NULL (arrays not copied)
 * @param resultFormat the result's format: 0 text, 1 binary
 */
public record FunctionCall(
    int functionOid, short[] argumentFormats, List<byte[]> arguments, short resultFormat)
    implements FrontendMessage {

  public static final byte TYPE = 'F';

  public FunctionCall {
    Checks.count16(requireNonNull(argumentFormats, "argumentFormats").length, "argumentFormats");
    arguments = Checks.copyAllowingNulls(arguments, "arguments");
  }

  public static FunctionCall decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "FunctionCall");
    int oid = r.readInt32("function OID");
    short[] formats = Formats.read(r, "argument format");
    int count = r.readCount16("argument count", 4);
    byte[][] arguments = new byte[count][];
    for (int i = 0; i < count; i++) {
      arguments[i] = r.readNullableBytes("argument");
    }
    short resultFormat = r.readInt16("result format");
    r.expectEnd();
    return new FunctionCall(oid, formats, Arrays.asList(arguments), resultFormat);
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = FrameWriter.begin(out, TYPE);
    out.writeInt(functionOid);
    Formats.write(out, argumentFormats);
    out.writeShort(arguments.size());
    for (byte[] argument : arguments) {
      FrameWriter.writeNullableBytes(out, argument);
    }
    out.writeShort(resultFormat);
    FrameWriter.end(out, lengthIndex);
  }
}
