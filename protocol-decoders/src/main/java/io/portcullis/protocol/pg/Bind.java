package io.portcullis.protocol.pg;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;

/**
 * Bind ('B'): bind parameter values to a prepared statement, creating a portal.
 *
 * <p>The codec checks structure only; whether the format counts match the parameters is the
 * server's to judge, as it is the server that reports it.
 *
 * @param portal the portal's name; empty for the unnamed portal
 * @param statement the prepared statement's name; empty for the unnamed statement
 * @param parameterFormats none (all text), one (for all) or one per parameter: 0 text, 1 binary
 * @param parameterValues the values in wire form; a null element is SQL NULL (arrays not copied)
 * @param resultFormats result column formats, same convention as {@code parameterFormats}
 */
public record Bind(
    String portal,
    String statement,
    short[] parameterFormats,
    List<byte[]> parameterValues,
    short[] resultFormats)
    implements FrontendMessage {

  public static final byte TYPE = 'B';

  public Bind {
    PgStrings.check(portal, "portal");
    PgStrings.check(statement, "statement");
    Checks.count16(requireNonNull(parameterFormats, "parameterFormats").length, "parameterFormats");
    parameterValues = Checks.copyAllowingNulls(parameterValues, "parameterValues");
    Checks.count16(requireNonNull(resultFormats, "resultFormats").length, "resultFormats");
  }

  public static Bind decode(ByteBuf payload) {
    PayloadReader r = new PayloadReader(payload, "Bind");
    String portal = r.readString("portal name");
    String statement = r.readString("statement name");
    short[] parameterFormats = Formats.read(r, "parameter format");
    int count = r.readCount16("parameter value count", 4);
    byte[][] values = new byte[count][];
    for (int i = 0; i < count; i++) {
      values[i] = r.readNullableBytes("parameter value");
    }
    short[] resultFormats = Formats.read(r, "result format");
    r.expectEnd();
    return new Bind(portal, statement, parameterFormats, Arrays.asList(values), resultFormats);
  }

  @Override
  public void encode(ByteBuf out) {
    int lengthIndex = FrameWriter.begin(out, TYPE);
    PgStrings.write(out, portal);
    PgStrings.write(out, statement);
    Formats.write(out, parameterFormats);
    out.writeShort(parameterValues.size());
    for (byte[] value : parameterValues) {
      FrameWriter.writeNullableBytes(out, value);
    }
    Formats.write(out, resultFormats);
    FrameWriter.end(out, lengthIndex);
  }
}
