package io.portcullis.mask;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.portcullis.protocol.pg.DataRow;
import io.portcullis.protocol.pg.PgFrame;
import io.portcullis.protocol.pg.PgProtocolException;
import io.portcullis.protocol.pg.RowDescription;
import java.util.List;

/**
 * Rewrites DataRow frames of one result under a per-column masking plan.
 *
 * <p>Column rules replace the whole value; pattern rules replace matches inside textual,
 * text-format values. A value a rule would mask that is not textual, or is in binary format, is
 * sent as NULL, never as its raw bytes. SQL NULLs stay NULL. A row in which nothing changes is
 * returned as the same buffer, without copying or allocating.
 *
 * <p>One instance per result (created from its RowDescription), used on one event loop: it holds
 * scratch space, an HMAC instance and the count of masked values.
 */
public final class RowMasker {

  private final CompiledColumn[] columns;
  private final boolean active;
  private final ValueMasker values;
  private final ByteSink sink = new ByteSink();
  private byte[] scratch = new byte[256];
  private long masked;

  /**
   * A masker for rows of {@code plan.size()} columns.
   *
   * @param plan one entry per result column, {@link ColumnMask#NONE} where nothing is masked
   * @param typeOids each column's data type OID (see {@link TextTypes#isTextual})
   * @param formats result format codes as in Bind: none (all text), one (for all), or one per column
   * @param hmacKey the key for {@code hash} (at least 16 bytes); unused, and may be null, if no rule
   *     hashes
   */
  public RowMasker(List<ColumnMask> plan, int[] typeOids, short[] formats, byte[] hmacKey) {
    List<ColumnMask> copy = List.copyOf(requireNonNull(plan, "plan"));
    requireNonNull(typeOids, "typeOids");
    requireNonNull(formats, "formats");
    if (typeOids.length != copy.size()) {
      throw new IllegalArgumentException(
          "typeOids length: " + typeOids.length + " (expected: " + copy.size() + ")");
    }
    if (formats.length > 1 && formats.length != copy.size()) {
      throw new IllegalArgumentException(
          "formats length: " + formats.length + " (expected: 0, 1 or " + copy.size() + ")");
    }
    columns = new CompiledColumn[copy.size()];
    boolean any = false;
    boolean hash = false;
    for (int i = 0; i < columns.length; i++) {
      int format = formats.length == 0 ? 0 : formats[formats.length == 1 ? 0 : i];
      columns[i] = CompiledColumn.of(copy.get(i), typeOids[i], format);
      any |= !columns[i].none;
      hash |= CompiledColumn.usesHash(copy.get(i));
    }
    active = any;
    values = new ValueMasker(hash, hmacKey);
  }

  /**
   * A masker for the rows a RowDescription announces, with types and formats taken from its
   * fields (right for a simple Query; after Describe the formats come from Bind instead).
   */
  public static RowMasker forRowDescription(
      RowDescription description, List<ColumnMask> plan, byte[] hmacKey) {
    List<RowDescription.Field> fields = requireNonNull(description, "description").fields();
    int[] types = new int[fields.size()];
    short[] formats = new short[fields.size()];
    for (int i = 0; i < types.length; i++) {
      types[i] = fields.get(i).dataTypeOid();
      formats[i] = fields.get(i).format();
    }
    return new RowMasker(plan, types, formats, hmacKey);
  }

  /** Whether any column has a rule; if not, {@link #mask} returns every frame as it is. */
  public boolean masksAnything() {
    return active;
  }

  /** How many values this masker has masked (replaced, rewritten or nulled) so far. */
  public long maskedValues() {
    return masked;
  }

  /**
   * Masks one DataRow.
   *
   * <p>Ownership: the caller hands over one reference to {@code frame} and owns the result. If
   * nothing changed the result is {@code frame} itself, its reference count untouched; otherwise
   * it is a new buffer from {@code alloc} and {@code frame} has been released. If this throws,
   * {@code frame} has been released too (and nothing else is left allocated).
   *
   * @param frame a whole 'D' message (type byte, length, payload) from reader to writer index, as
   *     {@link PgFrame#frame()}
   * @throws PgProtocolException if the frame is not a well-formed DataRow of this plan's width
   */
  public ByteBuf mask(ByteBuf frame, ByteBufAllocator alloc) {
    requireNonNull(frame, "frame");
    if (!active) {
      return frame;
    }
    ByteBuf out = null;
    try {
      requireNonNull(alloc, "alloc");
      out = rewrite(frame, alloc);
    } catch (RuntimeException e) {
      frame.release();
      throw e;
    }
    if (out == null) {
      return frame;
    }
    frame.release();
    return out;
  }

  /** {@link #mask(ByteBuf, ByteBufAllocator)} for a framed message, with the same ownership. */
  public PgFrame mask(PgFrame frame, ByteBufAllocator alloc) {
    ByteBuf in = requireNonNull(frame, "frame").frame();
    ByteBuf out = mask(in, alloc);
    return out == in ? frame : new PgFrame(DataRow.TYPE, out);
  }

  /** The masked copy of {@code frame}, or null if no value changed; releases its own output on error. */
  private ByteBuf rewrite(ByteBuf frame, ByteBufAllocator alloc) {
    int base = frame.readerIndex();
    int end = frame.writerIndex();
    if (end - base < 7 || frame.getByte(base) != DataRow.TYPE) {
      throw error("not a DataRow frame (expected: type 'D' and >= 7 bytes)");
    }
    if (frame.getInt(base + 1) != end - base - 1) {
      throw error("length: " + frame.getInt(base + 1) + " (expected: " + (end - base - 1) + ")");
    }
    int count = frame.getUnsignedShort(base + 5);
    if (count != columns.length) {
      throw error("column count: " + count + " (expected: " + columns.length + ")");
    }
    ByteBuf out = null;
    try {
      int idx = base + 7;
      for (int c = 0; c < count; c++) {
        if (end - idx < 4) {
          throw error("truncated column value length: " + (end - idx) + " bytes left (expected: >= 4)");
        }
        int len = frame.getInt(idx);
        int valueStart = idx + 4;
        if (len < -1 || len > end - valueStart) {
          throw error("column value length: " + len + " (expected: -1 to " + (end - valueStart) + ")");
        }
        CompiledColumn col = columns[c];
        int result = ValueMasker.PASS;
        if (len >= 0 && !col.none) {
          result = maskValue(frame, valueStart, len, col);
        }
        if (result != ValueMasker.PASS) {
          masked++;
          if (out == null) {
            out = alloc.buffer(end - base + 64);
            out.writeBytes(frame, base, idx - base); // header, count and the unchanged columns
          }
          if (result == ValueMasker.NULL) {
            out.writeInt(-1);
          } else {
            out.writeInt(sink.length());
            out.writeBytes(sink.array(), 0, sink.length());
          }
        } else if (out != null) {
          out.writeBytes(frame, idx, 4 + Math.max(len, 0));
        }
        idx = valueStart + Math.max(len, 0);
      }
      if (idx != end) {
        throw error("trailing bytes: " + (end - idx) + " (expected: 0)");
      }
      if (out != null) {
        out.setInt(out.readerIndex() + 1, out.readableBytes() - 1);
      }
      return out;
    } catch (RuntimeException e) {
      if (out != null) {
        out.release();
      }
      throw e;
    }
  }

  private int maskValue(ByteBuf frame, int at, int len, CompiledColumn col) {
    if (frame.hasArray()) {
      return values.mask(frame.array(), frame.arrayOffset() + at, len, col, sink);
    }
    if (scratch.length < len) {
      scratch = new byte[Math.max(len, scratch.length * 2)];
    }
    frame.getBytes(at, scratch, 0, len);
    return values.mask(scratch, 0, len, col, sink);
  }

  private static PgProtocolException error(String detail) {
    return new PgProtocolException("DataRow: " + detail);
  }
}
