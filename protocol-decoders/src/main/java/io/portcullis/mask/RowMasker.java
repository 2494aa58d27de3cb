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
  /** The masked frame being built. */
  private final ByteSink row = new ByteSink();
  /** The incoming frame's bytes, when its buffer has no array. */
  private byte[] scratch = new byte[512];
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
    return OwnedRewrite.apply(frame, alloc, active, this::rewrite, row);
  }

  /** {@link #mask(ByteBuf, ByteBufAllocator)} for a framed message, with the same ownership. */
  public PgFrame mask(PgFrame frame, ByteBufAllocator alloc) {
    ByteBuf in = requireNonNull(frame, "frame").frame();
    ByteBuf out = mask(in, alloc);
    return out == in ? frame : new PgFrame(DataRow.TYPE, out);
  }

  /**
   * Masks one DataRow into a buffer that collects the rows to send: appends the masked frame to
   * {@code out} and returns true if any value changed; appends nothing and returns false if none
   * did (the caller sends {@code frame} itself). Batching rows this way spares a buffer and a write
   * per row. {@code frame} is only read: the caller still owns it, also when this throws, and
   * {@code out} is then unchanged.
   *
   * @param frame a whole 'D' message from reader to writer index, as {@link PgFrame#frame()}
   * @throws PgProtocolException if the frame is not a well-formed DataRow of this plan's width
   */
  public boolean maskInto(ByteBuf frame, ByteBuf out) {
    requireNonNull(frame, "frame");
    requireNonNull(out, "out");
    if (!active || !rewrite(frame)) {
      return false;
    }
    out.writeBytes(row.array(), 0, row.length());
    return true;
  }

  /**
   * Whether any value of {@code frame} changed; if so the masked frame is in {@link #row}. The
   * frame is read with one bulk copy (or not at all when it has an array) and parsed as bytes:
   * per-value buffer calls cost more than the masking itself.
   */
  private boolean rewrite(ByteBuf frame) {
    int size = frame.readableBytes();
    byte[] d;
    int base;
    if (frame.hasArray()) {
      d = frame.array();
      base = frame.arrayOffset() + frame.readerIndex();
    } else {
      if (scratch.length < size) {
        scratch = new byte[Math.max(size, scratch.length * 2)];
      }
      frame.getBytes(frame.readerIndex(), scratch, 0, size);
      d = scratch;
      base = 0;
    }
    int end = base + size;
    if (size < 7 || d[base] != DataRow.TYPE) {
      throw error("not a DataRow frame (expected: type 'D' and >= 7 bytes)");
    }
    if (int32(d, base + 1) != size - 1) {
      throw error("length: " + int32(d, base + 1) + " (expected: " + (size - 1) + ")");
    }
    int count = ((d[base + 5] & 0xFF) << 8) | (d[base + 6] & 0xFF);
    if (count != columns.length) {
      throw error("column count: " + count + " (expected: " + columns.length + ")");
    }
    boolean changed = false;
    long maskedHere = 0;
    int idx = base + 7;
    for (int c = 0; c < count; c++) {
      if (end - idx < 4) {
        throw error("truncated column value length: " + (end - idx) + " bytes left (expected: >= 4)");
      }
      int len = int32(d, idx);
      int valueStart = idx + 4;
      if (len < -1 || len > end - valueStart) {
        throw error("column value length: " + len + " (expected: -1 to " + (end - valueStart) + ")");
      }
      CompiledColumn col = columns[c];
      int result = len < 0 || col.none ? ValueMasker.PASS : values.decide(d, valueStart, len, col);
      if (result != ValueMasker.PASS) {
        maskedHere++;
        if (!changed) {
          changed = true;
          row.clear();
          row.write(d, base, idx - base); // header, count and the unchanged columns
        }
        if (result == ValueMasker.NULL) {
          row.writeInt(-1);
        } else {
          int at = row.length();
          row.writeInt(0);
          values.write(d, valueStart, len, col, row);
          row.setInt(at, row.length() - at - 4);
        }
      } else if (changed) {
        row.write(d, idx, 4 + Math.max(len, 0));
      }
      idx = valueStart + Math.max(len, 0);
    }
    if (idx != end) {
      throw error("trailing bytes: " + (end - idx) + " (expected: 0)");
    }
    if (changed) {
      row.setInt(1, row.length() - 1);
    }
    // Only the values of a well-formed row count: a malformed one ends the result.
    masked += maskedHere;
    return changed;
  }

  private static int int32(byte[] d, int at) {
    return (d[at] << 24) | ((d[at + 1] & 0xFF) << 16) | ((d[at + 2] & 0xFF) << 8) | (d[at + 3] & 0xFF);
  }

  private static PgProtocolException error(String detail) {
    return new PgProtocolException("DataRow: " + detail);
  }
}
