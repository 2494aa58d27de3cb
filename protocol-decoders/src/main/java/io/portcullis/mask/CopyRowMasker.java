package io.portcullis.mask;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.portcullis.protocol.pg.BackendCopyData;
import io.portcullis.protocol.pg.CopyOutResponse;
import io.portcullis.protocol.pg.PgProtocolException;
import java.util.List;

/**
 * Rewrites the CopyData ('d') messages of one COPY TO STDOUT in text or CSV format under a
 * per-column plan, with the same rules as {@link RowMasker}: values are unescaped (text) or
 * unquoted (CSV) before masking and written back in the same format; a value that cannot be
 * rewritten as text becomes the format's NULL. PostgreSQL sends one row per message; a message
 * may hold several whole rows, never part of one. Binary COPY is refused by {@link #checkMaskable}.
 *
 * <p>One instance per COPY, used on one event loop.
 */
public final class CopyRowMasker {

  private final CompiledColumn[] columns;
  private final boolean active;
  private final CopyFormat format;
  private final byte[] nullBytes;
  private final ValueMasker values;
  private final ByteSink decoded = new ByteSink();
  private final ByteSink masked = new ByteSink();
  /** The masked CopyData being built. */
  private final ByteSink row = new ByteSink();
  private byte[] scratch = new byte[256];
  private boolean headerPending;
  private long maskedCount;

  /**
   * A masker for COPY rows of {@code plan.size()} columns.
   *
   * @param plan one entry per copied column, {@link ColumnMask#NONE} where nothing is masked
   * @param typeOids each column's type OID, from the catalog (COPY announces no types)
   * @param format the textual format the COPY statement asked for
   * @param hmacKey the key for {@code hash} (at least 16 bytes); may be null if no rule hashes
   */
  public CopyRowMasker(List<ColumnMask> plan, int[] typeOids, CopyFormat format, byte[] hmacKey) {
    List<ColumnMask> copy = List.copyOf(requireNonNull(plan, "plan"));
    this.format = requireNonNull(format, "format");
    if (requireNonNull(typeOids, "typeOids").length != copy.size()) {
      throw new IllegalArgumentException(
          "typeOids length: " + typeOids.length + " (expected: " + copy.size() + ")");
    }
    columns = new CompiledColumn[copy.size()];
    boolean any = false;
    boolean hash = false;
    for (int i = 0; i < columns.length; i++) {
      columns[i] = CompiledColumn.of(copy.get(i), typeOids[i], 0);
      any |= !columns[i].none;
      hash |= CompiledColumn.usesHash(copy.get(i));
    }
    active = any;
    nullBytes = format.nullBytes();
    headerPending = format.header();
    values = new ValueMasker(hash, hmacKey);
  }

  /**
   * Checks that a COPY the policy masks can be masked: its CopyOutResponse must announce a textual
   * overall format.
   *
   * @throws BinaryCopyNotMaskableException for binary COPY
   */
  public static void checkMaskable(CopyOutResponse response) {
    if (requireNonNull(response, "response").overallFormat() != 0) {
      throw new BinaryCopyNotMaskableException();
    }
  }

  /** Whether any column has a rule; if not, {@link #mask} returns every frame as it is. */
  public boolean masksAnything() {
    return active;
  }

  /** How many values this masker has masked so far. */
  public long maskedValues() {
    return maskedCount;
  }

  /**
   * Masks one CopyData message. Ownership as in {@link RowMasker#mask}: the caller hands over one
   * reference to {@code frame} and owns the result, which is {@code frame} itself when nothing
   * changed, else a new buffer from {@code alloc} (and {@code frame} was released); on an exception
   * {@code frame} was released.
   *
   * @param frame a whole 'd' message (type byte, length, data) from reader to writer index
   * @throws PgProtocolException if the frame is not CopyData holding whole rows of this width
   */
  public ByteBuf mask(ByteBuf frame, ByteBufAllocator alloc) {
    return OwnedRewrite.apply(frame, alloc, active, this::rewrite, row);
  }

  /** Whether any value of {@code frame} changed; if so the masked CopyData is in {@link #row}. */
  private boolean rewrite(ByteBuf frame) {
    int base = frame.readerIndex();
    int size = frame.readableBytes();
    if (size < 5 || frame.getByte(base) != BackendCopyData.TYPE) {
      throw error("not a CopyData frame (expected: type 'd' and >= 5 bytes)");
    }
    if (frame.getInt(base + 1) != size - 1) {
      throw error("length: " + frame.getInt(base + 1) + " (expected: " + (size - 1) + ")");
    }
    byte[] d;
    int start;
    if (frame.hasArray()) {
      d = frame.array();
      start = frame.arrayOffset() + base + 5;
    } else {
      if (scratch.length < size - 5) {
        scratch = new byte[Math.max(size - 5, scratch.length * 2)];
      }
      frame.getBytes(base + 5, scratch, 0, size - 5);
      d = scratch;
      start = 0;
    }
    int end = start + size - 5;
    boolean changed = false;
    long maskedHere = 0;
    int p = start;
    while (p < end) {
      boolean pass = headerPending;
      headerPending = false;
      for (int c = 0; ; c++) {
        if (c >= columns.length) {
          throw error("columns: more than " + columns.length + " in a row");
        }
        boolean quoted = format.csv() && p < end && d[p] == format.quote();
        int fieldEnd = format.csv()
            ? CopyCodec.csvFieldEnd(d, p, end, format)
            : CopyCodec.textFieldEnd(d, p, end, format.delimiter());
        if (fieldEnd < 0) {
          throw error("row not terminated by a newline (expected: whole rows in each message)");
        }
        int result = pass || columns[c].none ? ValueMasker.PASS : maskField(d, p, fieldEnd, quoted, c);
        if (result != ValueMasker.PASS) {
          maskedHere++;
          if (!changed) {
            changed = true;
            row.clear();
            row.write(BackendCopyData.TYPE);
            row.writeInt(0);
            row.write(d, start, p - start);
          }
          if (result == ValueMasker.NULL) {
            row.write(nullBytes);
          } else if (format.csv()) {
            CopyCodec.csvEncode(masked.array(), masked.length(), quoted, format, nullBytes, row);
          } else {
            CopyCodec.textEncode(masked.array(), masked.length(), format.delimiter(), row);
          }
          row.write(d[fieldEnd]);
        } else if (changed) {
          row.write(d, p, fieldEnd + 1 - p);
        }
        p = fieldEnd + 1;
        if (d[fieldEnd] == '\n') {
          if (c + 1 != columns.length && !pass) {
            throw error("columns: " + (c + 1) + " (expected: " + columns.length + ")");
          }
          break;
        }
      }
    }
    if (changed) {
      row.setInt(1, row.length() - 1);
    }
    maskedCount += maskedHere;
    return changed;
  }

  /** Masks the field {@code d[p, fieldEnd)}; a REWRITE leaves the unencoded value in {@link #masked}. */
  private int maskField(byte[] d, int p, int fieldEnd, boolean quoted, int c) {
    int len = fieldEnd - p;
    if (!quoted && CopyCodec.regionEquals(d, p, len, nullBytes)) {
      return ValueMasker.PASS; // SQL NULL stays NULL
    }
    byte[] src = d;
    int off = p;
    if (quoted) {
      CopyCodec.csvDecode(d, p + 1, fieldEnd - 1, format, decoded);
      src = decoded.array();
      off = 0;
      len = decoded.length();
    } else if (!format.csv() && indexOfBackslash(d, p, fieldEnd) >= 0) {
      CopyCodec.textDecode(d, p, fieldEnd, decoded);
      src = decoded.array();
      off = 0;
      len = decoded.length();
    }
    return values.mask(src, off, len, columns[c], masked);
  }

  private static int indexOfBackslash(byte[] d, int from, int to) {
    for (int i = from; i < to; i++) {
      if (d[i] == '\\') {
        return i;
      }
    }
    return -1;
  }

  private static PgProtocolException error(String detail) {
    return new PgProtocolException("CopyData: " + detail);
  }
}
