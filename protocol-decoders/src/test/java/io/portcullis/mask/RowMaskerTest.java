package io.portcullis.mask;

import static io.portcullis.mask.Rows.KEY;
import static io.portcullis.mask.Rows.bytes;
import static io.portcullis.mask.Rows.hex;
import static io.portcullis.mask.Rows.row;
import static io.portcullis.mask.Rows.values;
import static io.portcullis.mask.Rows.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.portcullis.protocol.pg.DataRow;
import io.portcullis.protocol.pg.LeakCheck;
import io.portcullis.protocol.pg.PgFrame;
import io.portcullis.protocol.pg.PgProtocolException;
import io.portcullis.protocol.pg.RowDescription;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class RowMaskerTest {

  static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
  static final int INT4 = 23;
  static final int INT8 = 20;
  static final int NUMERIC = 1700;
  static final short[] TEXT = new short[0];

  static RowMasker masker(List<ColumnMask> plan, int[] types, short[] formats) {
    return new RowMasker(plan, types, formats, KEY);
  }

  /** Masks a row of text columns under one rule for its second column; returns the values. */
  static List<String> maskSecond(ColumnMask rule, String value) {
    RowMasker m = masker(List.of(ColumnMask.NONE, rule), new int[] {INT4, TextTypes.TEXT}, TEXT);
    ByteBuf out = m.mask(row("1", value), ALLOC);
    try {
      return values(out);
    } finally {
      out.release();
    }
  }

  @Test
  void redactsAColumnToGoldenBytes() {
    RowMasker m = masker(
        List.of(ColumnMask.NONE, ColumnMask.column(MaskStrategy.REDACT), ColumnMask.NONE),
        new int[] {INT4, TextTypes.TEXT, TextTypes.TEXT}, TEXT);
    ByteBuf in = row("7", "alice@example.com", "Alice");
    ByteBuf out = m.mask(in, ALLOC);
    try {
      assertThat(in.refCnt()).as("input released once a new frame is returned").isZero();
      // 4 (length) + 2 (count) + 4+1 + 4+10 + 4+5 = 34 = 0x22
      assertThat(bytes(out)).isEqualTo(wire('D', hex("00 00 00 22"), hex("00 03"),
          hex("00 00 00 01"), "7", hex("00 00 00 0a"), "[REDACTED]", hex("00 00 00 05"), "Alice"));
      assertThat(m.maskedValues()).isEqualTo(1);
    } finally {
      out.release();
    }
  }

  @Test
  void partialKeepsTheLastFourCodePoints() {
    ColumnMask partial = ColumnMask.column(MaskStrategy.PARTIAL);
    assertThat(maskSecond(partial, "4111111111111111")).containsExactly("1", "************1111");
    assertThat(maskSecond(partial, "日本語のテキスト")).containsExactly("1", "****テキスト");
    assertThat(maskSecond(partial, "😀😀😀😀😀x")).containsExactly("1", "**😀😀😀x");
    assertThat(maskSecond(partial, "abcd")).containsExactly("1", "****");
    assertThat(maskSecond(partial, "ab")).containsExactly("1", "**");
    assertThat(maskSecond(partial, "")).containsExactly("1", "");
  }

  @Test
  void partialGoldenBytesForMultiByteText() {
    RowMasker m = masker(List.of(ColumnMask.column(MaskStrategy.PARTIAL)), new int[] {TextTypes.VARCHAR}, TEXT);
    ByteBuf out = m.mask(row("Zoë Ångström"), ALLOC); // 12 code points, 15 bytes
    try {
      // 8 stars + "ström" (o-umlaut is 2 bytes): 8 + 5 = 13 bytes
      assertThat(bytes(out)).isEqualTo(wire('D', hex("00 00 00 17"), hex("00 01"),
          hex("00 00 00 0d"), "********tröm"));
    } finally {
      out.release();
    }
  }

  @Test
  void hashIsAKeyedStableHmac() {
    ColumnMask hash = ColumnMask.column(MaskStrategy.HASH);
    // HMAC-SHA-256 with key "0123456789abcdef", first 32 hex digits.
    assertThat(maskSecond(hash, "alice@example.com")).containsExactly("1", "hmac:f3d6ddc7dbf9be2eb667360a5a9a4343");
    assertThat(maskSecond(hash, "alice@example.com")).containsExactly("1", "hmac:f3d6ddc7dbf9be2eb667360a5a9a4343");
    assertThat(maskSecond(hash, "")).containsExactly("1", "hmac:496dc93fa2d26eae500ec0bc37a12270");
    RowMasker other = new RowMasker(List.of(hash), new int[] {TextTypes.TEXT}, TEXT,
        "another key, 16+ bytes".getBytes());
    ByteBuf out = other.mask(row("alice@example.com"), ALLOC);
    try {
      assertThat(values(out).get(0)).startsWith("hmac:").isNotEqualTo("hmac:f3d6ddc7dbf9be2eb667360a5a9a4343");
    } finally {
      out.release();
    }
    assertThatThrownBy(() -> new RowMasker(List.of(hash), new int[] {25}, TEXT, new byte[8]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("hmacKey length: 8 (expected: >= 16)");
    // No key needed when nothing hashes.
    new RowMasker(List.of(ColumnMask.column(MaskStrategy.REDACT)), new int[] {25}, TEXT, null);
  }

  @Test
  void nullStrategyAndSqlNulls() {
    RowMasker m = masker(
        List.of(ColumnMask.column(MaskStrategy.NULL), ColumnMask.column(MaskStrategy.REDACT)),
        new int[] {TextTypes.TEXT, TextTypes.TEXT}, TEXT);
    ByteBuf out = m.mask(row("secret", null), ALLOC);
    try {
      assertThat(bytes(out)).isEqualTo(wire('D', hex("00 00 00 0e"), hex("00 02"),
          hex("ff ff ff ff"), hex("ff ff ff ff")));
      assertThat(m.maskedValues()).as("a SQL NULL is not a masked value").isEqualTo(1);
    } finally {
      out.release();
    }
    ByteBuf nulls = row(null, null);
    assertThat(m.mask(nulls, ALLOC)).isSameAs(nulls);
    nulls.release();
  }

  @Test
  void emptyStringsAreMaskedLikeAnyValue() {
    assertThat(maskSecond(ColumnMask.column(MaskStrategy.REDACT), "")).containsExactly("1", "[REDACTED]");
    assertThat(maskSecond(ColumnMask.patterns(EnumSet.allOf(DataPattern.class), MaskStrategy.REDACT), ""))
        .containsExactly("1", "");
  }

  @Test
  void unchangedRowIsTheSameInstance() {
    RowMasker m = masker(
        List.of(ColumnMask.NONE, ColumnMask.patterns(EnumSet.allOf(DataPattern.class), MaskStrategy.REDACT)),
        new int[] {INT4, TextTypes.TEXT}, TEXT);
    ByteBuf in = row("1", "nothing to see here, 2024-01-15, call 415-555-2671");
    ByteBuf out = m.mask(in, ALLOC);
    assertThat(out).isSameAs(in);
    assertThat(in.refCnt()).isEqualTo(1);
    assertThat(m.maskedValues()).isZero();
    in.release();

    RowMasker none = masker(List.of(ColumnMask.NONE), new int[] {TextTypes.TEXT}, TEXT);
    assertThat(none.masksAnything()).isFalse();
    ByteBuf any = row("4111111111111111");
    assertThat(none.mask(any, ALLOC)).isSameAs(any);
    any.release();
  }

  @Test
  void patternRulesRewriteMatchesInsideText() {
    ColumnMask cards = ColumnMask.patterns(EnumSet.of(DataPattern.CREDIT_CARD), MaskStrategy.PARTIAL);
    assertThat(maskSecond(cards, "pay 4111 1111 1111 1111 now"))
        .containsExactly("1", "pay ***************1111 now");
    ColumnMask mixed = new ColumnMask(null, Map.of(
        DataPattern.CREDIT_CARD, MaskStrategy.REDACT, DataPattern.EMAIL, MaskStrategy.HASH));
    assertThat(maskSecond(mixed, "{\"card\":\"4111111111111111\",\"mail\":\"alice@example.com\"}"))
        .containsExactly("1", "{\"card\":\"[REDACTED]\",\"mail\":\"hmac:f3d6ddc7dbf9be2eb667360a5a9a4343\"}");
    ColumnMask nulling = ColumnMask.patterns(EnumSet.of(DataPattern.US_SSN), MaskStrategy.NULL);
    assertThat(maskSecond(nulling, "ssn 123-45-6789")).containsExactly("1", null);
    assertThat(maskSecond(nulling, "ssn 000-45-6789")).containsExactly("1", "ssn 000-45-6789");
  }

  @Test
  void patternGoldenBytesKeepLengthsExact() {
    RowMasker m = masker(
        List.of(ColumnMask.patterns(DataPattern.parse("email"), MaskStrategy.REDACT), ColumnMask.NONE),
        new int[] {TextTypes.TEXT, TextTypes.TEXT}, TEXT);
    ByteBuf out = m.mask(row("to é@x.io", "b@c.de"), ALLOC);
    try {
      // "é" is not part of the ASCII local part: "to é" stays, "@x.io" has no local part: unchanged
      assertThat(out.refCnt()).isEqualTo(1);
    } finally {
      out.release();
    }
    ByteBuf out2 = m.mask(row("to a@x.io!", "b@c.de"), ALLOC);
    try {
      // 4 + 2 + 4+("to [REDACTED]!" = 14) + 4+6 = 34
      assertThat(bytes(out2)).isEqualTo(wire('D', hex("00 00 00 22"), hex("00 02"),
          hex("00 00 00 0e"), "to [REDACTED]!", hex("00 00 00 06"), "b@c.de"));
    } finally {
      out2.release();
    }
  }

  @Test
  void binaryFormatValuesBecomeNullNeverRawBytes() {
    RowMasker m = masker(
        List.of(ColumnMask.column(MaskStrategy.PARTIAL), ColumnMask.NONE),
        new int[] {TextTypes.TEXT, TextTypes.TEXT}, new short[] {1, 1});
    ByteBuf out = m.mask(row("4111111111111111", "kept"), ALLOC);
    try {
      assertThat(values(out)).containsExactly(null, "kept");
    } finally {
      out.release();
    }
    RowMasker patterns = masker(
        List.of(ColumnMask.patterns(EnumSet.of(DataPattern.EMAIL), MaskStrategy.REDACT)),
        new int[] {TextTypes.TEXT}, new short[] {1});
    ByteBuf hit = patterns.mask(row("mail a@b.com"), ALLOC);
    try {
      assertThat(values(hit)).containsExactly((String) null);
    } finally {
      hit.release();
    }
    ByteBuf miss = row("no mail");
    assertThat(patterns.mask(miss, ALLOC)).isSameAs(miss);
    miss.release();
  }

  @Test
  void nonTextualTypesBecomeNullWhenARuleTouchesThem() {
    ColumnMask cards = ColumnMask.patterns(EnumSet.of(DataPattern.CREDIT_CARD), MaskStrategy.PARTIAL);
    List<ColumnMask> plan = List.of(cards, cards, cards, cards, cards);
    int[] types = {INT8, NUMERIC, INT8, NUMERIC, INT4};
    RowMasker text = masker(plan, types, TEXT);
    ByteBuf out = text.mask(row("4111111111111111", "4111111111111111.00", "42", "3.14", "4111"), ALLOC);
    try {
      assertThat(values(out)).containsExactly(null, null, "42", "3.14", "4111");
      assertThat(text.maskedValues()).isEqualTo(2);
    } finally {
      out.release();
    }

    RowMasker binary = masker(plan, types, new short[] {1});
    byte[] card8 = hex("00 0e 9b 08 a5 68 f1 c7"); // 4111111111111111 as int8
    assertThat(Long.parseLong("000e9b08a568f1c7", 16)).isEqualTo(4111111111111111L);
    byte[] cardNumeric = hex("00 04 00 03 00 00 00 00 10 0f 04 57 04 57 04 57"); // 4111 1111 1111 1111
    byte[] small8 = hex("00 00 00 00 00 00 00 2a");
    byte[] smallNumeric = hex("00 02 00 00 00 00 00 02 00 03 05 78"); // 3.14
    byte[] int4 = hex("00 00 10 0f");
    ByteBuf bin = binary.mask(row(card8, cardNumeric, small8, smallNumeric, int4), ALLOC);
    try {
      DataRow decoded = DataRow.decode(new PgFrame(DataRow.TYPE, bin).payload());
      assertThat(decoded.values().get(0)).isNull();
      assertThat(decoded.values().get(1)).isNull();
      assertThat(decoded.values().get(2)).isEqualTo(small8);
      assertThat(decoded.values().get(3)).isEqualTo(smallNumeric);
      assertThat(decoded.values().get(4)).isEqualTo(int4);
    } finally {
      bin.release();
    }

    RowMasker column = masker(List.of(ColumnMask.column(MaskStrategy.REDACT)), new int[] {INT4}, TEXT);
    ByteBuf n = column.mask(row("12"), ALLOC);
    try {
      assertThat(values(n)).containsExactly((String) null);
    } finally {
      n.release();
    }
  }

  @Test
  void renderedBinaryNumbersMatchTheirText() {
    byte[] out = new byte[64];
    int n = BinaryNumbers.int8(hex("80 00 00 00 00 00 00 00"), 0, out);
    assertThat(new String(out, 0, n)).isEqualTo(Long.toString(Long.MIN_VALUE));
    out = BinaryNumbers.ensure(out, 16);
    // -12345.678: ndigits 3, weight 1, sign 0x4000, dscale 3, digits 1 2345 6780
    n = BinaryNumbers.numeric(hex("00 03 00 01 40 00 00 03 00 01 09 29 1a 7c"), 0, 14, out);
    assertThat(new String(out, 0, n)).isEqualTo("-12345.678");
    // 0.0042: ndigits 1, weight -1, dscale 4, digit 42
    n = BinaryNumbers.numeric(hex("00 01 ff ff 00 00 00 04 00 2a"), 0, 10, out);
    assertThat(new String(out, 0, n)).isEqualTo("0.0042");
  }

  @Test
  void bpcharPaddingIsNotMasked() {
    RowMasker m = masker(List.of(ColumnMask.column(MaskStrategy.PARTIAL)), new int[] {TextTypes.BPCHAR}, TEXT);
    ByteBuf out = m.mask(row("123456    "), ALLOC);
    try {
      assertThat(values(out)).containsExactly("**3456");
    } finally {
      out.release();
    }
  }

  @Test
  void columnsAfterAChangeAreCopiedExactly() {
    List<ColumnMask> plan = new ArrayList<>();
    int[] types = new int[6];
    Arrays.fill(types, TextTypes.TEXT);
    for (int i = 0; i < 6; i++) {
      plan.add(i == 2 ? ColumnMask.column(MaskStrategy.HASH) : ColumnMask.NONE);
    }
    RowMasker m = masker(plan, types, TEXT);
    ByteBuf out = m.mask(row("a", null, "alice@example.com", "", "日本", "x".repeat(70_000)), ALLOC);
    try {
      assertThat(values(out)).containsExactly(
          "a", null, "hmac:f3d6ddc7dbf9be2eb667360a5a9a4343", "", "日本", "x".repeat(70_000));
    } finally {
      out.release();
    }
  }

  @Test
  void worksOnDirectAndUnpooledBuffersAndNonZeroReaderIndex() {
    RowMasker m = masker(List.of(ColumnMask.column(MaskStrategy.REDACT)), new int[] {25}, TEXT);
    ByteBuf direct = ALLOC.directBuffer();
    direct.writeBytes(hex("00 00 00"));
    ByteBuf r = row("v");
    direct.writeBytes(r);
    r.release();
    direct.readerIndex(3);
    ByteBuf out = m.mask(direct, ALLOC);
    try {
      assertThat(values(out)).containsExactly("[REDACTED]");
      assertThat(direct.refCnt()).isZero();
    } finally {
      out.release();
    }
  }

  @Test
  void maskingAPgFrameKeepsTheFrameWhenUnchanged() {
    RowMasker m = masker(List.of(ColumnMask.patterns(EnumSet.of(DataPattern.EMAIL), MaskStrategy.REDACT)),
        new int[] {25}, TEXT);
    PgFrame same = new PgFrame(DataRow.TYPE, row("plain"));
    assertThat(m.mask(same, ALLOC)).isSameAs(same);
    same.release();
    PgFrame changed = m.mask(new PgFrame(DataRow.TYPE, row("x@y.org")), ALLOC);
    try {
      assertThat(values(changed.frame())).containsExactly("[REDACTED]");
    } finally {
      changed.release();
    }
  }

  @Test
  void forRowDescriptionTakesTypesAndFormats() {
    RowDescription rd = new RowDescription(List.of(
        new RowDescription.Field("id", 0, (short) 0, INT4, (short) 4, -1, (short) 0),
        new RowDescription.Field("email", 0, (short) 0, TextTypes.TEXT, (short) -1, -1, (short) 1)));
    RowMasker m = RowMasker.forRowDescription(
        rd, List.of(ColumnMask.NONE, ColumnMask.column(MaskStrategy.PARTIAL)), KEY);
    ByteBuf out = m.mask(row("1", "a@b.com"), ALLOC);
    try {
      assertThat(values(out)).containsExactly("1", null);
    } finally {
      out.release();
    }
  }

  @Test
  void malformedFramesAreRejectedAndReleased() {
    RowMasker m = masker(List.of(ColumnMask.column(MaskStrategy.REDACT)), new int[] {25}, TEXT);
    ByteBuf wide = row("a", "b");
    assertThatThrownBy(() -> m.mask(wide, ALLOC))
        .isInstanceOf(PgProtocolException.class)
        .hasMessage("DataRow: column count: 2 (expected: 1)");
    assertThat(wide.refCnt()).isZero();

    ByteBuf lying = ALLOC.buffer().writeBytes(wire('D', hex("00 00 00 0c"), hex("00 01"), hex("00 00 00 09"), "ab"));
    assertThatThrownBy(() -> m.mask(lying, ALLOC))
        .hasMessage("DataRow: column value length: 9 (expected: -1 to 2)");
    assertThat(lying.refCnt()).isZero();

    ByteBuf trailing = ALLOC.buffer().writeBytes(wire('D', hex("00 00 00 0c"), hex("00 01"), hex("00 00 00 01"), "ab"));
    assertThatThrownBy(() -> m.mask(trailing, ALLOC)).hasMessage("DataRow: trailing bytes: 1 (expected: 0)");
    assertThat(trailing.refCnt()).isZero();

    ByteBuf notRow = ALLOC.buffer().writeBytes(wire('C', hex("00 00 00 06"), hex("00 01")));
    assertThatThrownBy(() -> m.mask(notRow, ALLOC)).isInstanceOf(PgProtocolException.class);
    assertThat(notRow.refCnt()).isZero();

    assertThatThrownBy(() -> new RowMasker(List.of(ColumnMask.NONE), new int[2], TEXT, KEY))
        .hasMessage("typeOids length: 2 (expected: 1)");
    assertThatThrownBy(() -> new RowMasker(List.of(ColumnMask.NONE), new int[1], new short[2], KEY))
        .hasMessage("formats length: 2 (expected: 0, 1 or 1)");
  }

  @Test
  void maskIntoAppendsMaskedRowsToABatchAndLeavesFramesToTheCaller() {
    RowMasker m = masker(List.of(ColumnMask.NONE,
            ColumnMask.patterns(DataPattern.parse("credit_card"), MaskStrategy.PARTIAL)),
        new int[] {INT4, TextTypes.TEXT}, TEXT);
    ByteBuf batch = ALLOC.buffer();
    ByteBuf first = row("1", "card 4111 1111 1111 1111");
    ByteBuf plain = row("2", "no card here");
    ByteBuf second = row("3", null);
    ByteBuf single = row("4", "4111111111111111");
    ByteBuf third = Unpooled.wrappedBuffer(bytes(single.duplicate()));
    ByteBuf alone = m.mask(single, ALLOC);
    try {
      assertThat(m.maskInto(first, batch)).isTrue();
      assertThat(m.maskInto(plain, batch)).as("unchanged: nothing appended").isFalse();
      assertThat(m.maskInto(second, batch)).isFalse();
      int before = batch.writerIndex();
      assertThat(m.maskInto(third, batch)).as("heap buffer").isTrue();
      assertThat(first.refCnt()).as("the caller still owns the frame").isOne();
      assertThat(plain.refCnt()).isOne();
      assertThat(m.maskedValues()).isEqualTo(3);
      assertThat(bytes(batch.slice(before, batch.writerIndex() - before))).isEqualTo(bytes(alone));
      ByteBuf firstOut = batch.readSlice(batch.getInt(batch.readerIndex() + 1) + 1);
      assertThat(values(firstOut)).containsExactly("1", "card ***************1111");
      assertThat(values(batch.slice())).containsExactly("4", "************1111");

      ByteBuf wide = row("a", "b", "c");
      int size = batch.writerIndex();
      assertThatThrownBy(() -> m.maskInto(wide, batch))
          .hasMessage("DataRow: column count: 3 (expected: 2)");
      assertThat(wide.refCnt()).as("not released by maskInto").isOne();
      assertThat(batch.writerIndex()).as("batch unchanged").isEqualTo(size);
      wide.release();
    } finally {
      batch.release();
      first.release();
      plain.release();
      second.release();
      third.release();
      alone.release();
    }
  }

  @Test
  void columnMaskMergesToTheStricterRule() {
    ColumnMask a = new ColumnMask(MaskStrategy.PARTIAL, Map.of(DataPattern.EMAIL, MaskStrategy.HASH));
    ColumnMask b = new ColumnMask(MaskStrategy.REDACT, Map.of(DataPattern.EMAIL, MaskStrategy.PARTIAL,
        DataPattern.JWT, MaskStrategy.NULL));
    assertThat(a.merge(b)).isEqualTo(new ColumnMask(MaskStrategy.REDACT,
        Map.of(DataPattern.EMAIL, MaskStrategy.HASH, DataPattern.JWT, MaskStrategy.NULL)));
    assertThat(ColumnMask.NONE.isNone()).isTrue();
    assertThat(ColumnMask.NONE.merge(ColumnMask.NONE)).isEqualTo(ColumnMask.NONE);
  }
}
