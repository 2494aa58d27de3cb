package io.portcullis.mask;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.portcullis.protocol.pg.DataRow;
import io.portcullis.protocol.pg.PgFrame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Test helpers: DataRow frames in pooled (leak-tracked) buffers, and their decoded values. */
final class Rows {

  static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private Rows() {}

  /** A pooled DataRow frame; a String is UTF-8, a byte[] raw, null is SQL NULL. Caller releases. */
  static ByteBuf row(Object... values) {
    List<byte[]> list = new ArrayList<>();
    for (Object v : values) {
      list.add(switch (v) {
        case null -> null;
        case String s -> s.getBytes(StandardCharsets.UTF_8);
        case byte[] b -> b;
        default -> throw new IllegalArgumentException("value: " + v.getClass());
      });
    }
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer();
    new DataRow(list).encode(buf);
    return buf;
  }

  /** The values of a DataRow frame, decoded strictly (so lengths must be exact), as text or null. */
  static List<String> values(ByteBuf frame) {
    DataRow row = DataRow.decode(new PgFrame(DataRow.TYPE, frame).payload());
    return Arrays.asList(row.values().stream()
        .map(v -> v == null ? null : new String(v, StandardCharsets.UTF_8))
        .toArray(String[]::new));
  }

  static byte[] bytes(ByteBuf buf) {
    return ByteBufUtil.getBytes(buf);
  }

  /** Concatenates a Character as a byte, a String as UTF-8, a byte[] as itself. */
  static byte[] wire(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      switch (part) {
        case Character c -> out.write((byte) c.charValue());
        case String s -> out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        case byte[] b -> out.writeBytes(b);
        default -> throw new IllegalArgumentException("part: " + part.getClass());
      }
    }
    return out.toByteArray();
  }

  static byte[] hex(String pairs) {
    return HexFormat.of().parseHex(pairs.replace(" ", ""));
  }
}
