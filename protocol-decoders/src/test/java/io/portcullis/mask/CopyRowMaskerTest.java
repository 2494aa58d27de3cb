package io.portcullis.mask;

import static io.portcullis.mask.Rows.KEY;
import static io.portcullis.mask.Rows.bytes;
import static io.portcullis.mask.Rows.hex;
import static io.portcullis.mask.Rows.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.portcullis.protocol.pg.BackendCopyData;
import io.portcullis.protocol.pg.CopyOutResponse;
import io.portcullis.protocol.pg.LeakCheck;
import io.portcullis.protocol.pg.PgFrame;
import io.portcullis.protocol.pg.PgMessageFramer;
import io.portcullis.protocol.pg.PgProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class CopyRowMaskerTest {

  static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
  static final ColumnMask REDACT = ColumnMask.column(MaskStrategy.REDACT);
  static final ColumnMask CARDS = ColumnMask.patterns(EnumSet.of(DataPattern.CREDIT_CARD), MaskStrategy.PARTIAL);
  static final ColumnMask EMAILS = ColumnMask.patterns(EnumSet.of(DataPattern.EMAIL), MaskStrategy.REDACT);
  static final int TEXT = TextTypes.TEXT;

  /** A pooled CopyData frame holding {@code data}; the caller (or the masker) releases it. */
  static ByteBuf copyData(String data) {
    ByteBuf buf = ALLOC.buffer();
    new BackendCopyData(data.getBytes(StandardCharsets.UTF_8)).encode(buf);
    return buf;
  }

  /** The data of a CopyData frame as a string, checking its length field; releases it. */
  static String data(ByteBuf frame) {
    try {
      PgFrame f = new PgFrame(BackendCopyData.TYPE, frame);
      return new String(BackendCopyData.decode(f.payload()).data(), StandardCharsets.UTF_8);
    } finally {
      frame.release();
    }
  }

  static String mask(CopyRowMasker m, String data) {
    return data(m.mask(copyData(data), ALLOC));
  }

  static CopyRowMasker text(ColumnMask... plan) {
    int[] types = new int[plan.length];
    java.util.Arrays.fill(types, TEXT);
    return new CopyRowMasker(List.of(plan), types, CopyFormat.textDefaults(), KEY);
  }

  static CopyRowMasker csv(ColumnMask... plan) {
    int[] types = new int[plan.length];
    java.util.Arrays.fill(types, TEXT);
    return new CopyRowMasker(List.of(plan), types, CopyFormat.csvDefaults(), KEY);
  }

  @Test
  void textRowToGoldenBytes() {
    CopyRowMasker m = text(ColumnMask.NONE, REDACT, CARDS, REDACT);
    ByteBuf out = m.mask(copyData("1\talice@example.com\tcard 4111 1111 1111 1111\t\\N\n"), ALLOC);
    try {
      // data: "1\t[REDACTED]\tcard ***************1111\t\\N\n" = 2 + 11 + 25 + 3 = 41, length 45
      assertThat(bytes(out)).isEqualTo(wire('d', hex("00 00 00 2d"),
          "1\t[REDACTED]\tcard ***************1111\t\\N\n"));
      assertThat(m.maskedValues()).isEqualTo(2);
    } finally {
      out.release();
    }
  }

  @Test
  void textEscapesAreDecodedBeforeMaskingAndReencodedAfter() {
    CopyRowMasker m = text(EMAILS, ColumnMask.column(MaskStrategy.PARTIAL), ColumnMask.column(MaskStrategy.HASH));
    assertThat(mask(m, "to x@y.com\\nbye\\\\\tab\\tcd\\ne\talice@example.com\n"))
        .isEqualTo("to [REDACTED]\\nbye\\\\\t***cd\\ne\thmac:f3d6ddc7dbf9be2eb667360a5a9a4343\n");
    // Octal and hex escapes decode before hashing: \141 and \x61 are both 'a'.
    assertThat(mask(m, "-\t-\t\\141lice@example.com\n")).endsWith("\thmac:f3d6ddc7dbf9be2eb667360a5a9a4343\n");
    assertThat(mask(m, "-\t-\t\\x61lice@example.com\n")).endsWith("\thmac:f3d6ddc7dbf9be2eb667360a5a9a4343\n");
    // Masked output that contains the delimiter or a backslash is escaped again.
    CopyRowMasker keep = text(ColumnMask.column(MaskStrategy.PARTIAL), ColumnMask.NONE);
    // decoded "a\\b<tab>c<tab>d" is 7 characters: 3 stars and the last four, tabs escaped again
    assertThat(mask(keep, "a\\\\b\\tc\\td\tz\n")).isEqualTo("***\\tc\\td\tz\n");
  }

  @Test
  void textNullsAndUnchangedRows() {
    CopyRowMasker m = text(REDACT, EMAILS);
    ByteBuf in = copyData("\\N\tno address here\n");
    assertThat(m.mask(in, ALLOC)).isSameAs(in);
    assertThat(in.refCnt()).isEqualTo(1);
    in.release();
    assertThat(m.maskedValues()).isZero();
    assertThat(mask(text(ColumnMask.column(MaskStrategy.NULL), EMAILS), "v\t\n")).isEqualTo("\\N\t\n");
    CopyRowMasker nulling = text(ColumnMask.patterns(EnumSet.of(DataPattern.EMAIL), MaskStrategy.NULL));
    assertThat(mask(nulling, "mail a@b.com\n")).isEqualTo("\\N\n");
  }

  @Test
  void textEscapedDelimiterIsData() {
    CopyRowMasker m = new CopyRowMasker(List.of(ColumnMask.NONE, REDACT), new int[] {TEXT, TEXT},
        CopyFormat.textDefaults().withDelimiter('|'), KEY);
    assertThat(mask(m, "a\\|b|c\\|d\n")).isEqualTo("a\\|b|[REDACTED]\n");
    CopyRowMasker p = new CopyRowMasker(List.of(ColumnMask.column(MaskStrategy.PARTIAL)), new int[] {TEXT},
        CopyFormat.textDefaults().withDelimiter('|'), KEY);
    assertThat(mask(p, "ab\\|cd\\|e\n")).isEqualTo("***cd\\|e\n");
  }

  @Test
  void csvRowsRoundTripWithQuotes() {
    CopyRowMasker m = csv(ColumnMask.NONE, REDACT, CARDS, REDACT, EMAILS);
    assertThat(mask(m, "1,alice@example.com,\"4111 1111 1111 1111\",,\"Smith, \"\"Bob\"\" a@b.com\"\n"))
        .isEqualTo("1,[REDACTED],\"***************1111\",,\"Smith, \"\"Bob\"\" [REDACTED]\"\n");
    // An empty quoted string is a value, not NULL: it is masked and stays quoted.
    assertThat(mask(csv(REDACT), "\"\"\n")).isEqualTo("\"[REDACTED]\"\n");
    assertThat(mask(csv(ColumnMask.column(MaskStrategy.NULL), ColumnMask.NONE), "\"x\",y\n")).isEqualTo(",y\n");
    // A partial result that is empty must be quoted so it does not read back as NULL.
    assertThat(mask(csv(ColumnMask.column(MaskStrategy.PARTIAL)), "\"\"\n")).isEqualTo("\"\"\n");
    // Quoted newlines are data, not row ends.
    assertThat(mask(csv(EMAILS, REDACT), "\"line\nx@y.io\",z\n")).isEqualTo("\"line\n[REDACTED]\",[REDACTED]\n");
  }

  @Test
  void csvWithCustomEscapeAndHeader() {
    CopyFormat f = CopyFormat.csvDefaults().withEscape('\\').withHeader(true);
    CopyRowMasker m = new CopyRowMasker(List.of(EMAILS, REDACT), new int[] {TEXT, TEXT}, f, KEY);
    assertThat(mask(m, "email,name\n")).isEqualTo("email,name\n");
    assertThat(mask(m, "\"say \\\"hi\\\" to q@r.st\",n\n")).isEqualTo("\"say \\\"hi\\\" to [REDACTED]\",[REDACTED]\n");
    assertThat(m.maskedValues()).isEqualTo(2);
  }

  @Test
  void severalRowsInOneMessageAndNonTextualColumns() {
    CopyRowMasker m = new CopyRowMasker(List.of(CARDS, REDACT), new int[] {20, 23}, CopyFormat.textDefaults(), KEY);
    assertThat(mask(m, "4111111111111111\t7\n42\t\\N\n")).isEqualTo("\\N\t\\N\n42\t\\N\n");
    assertThat(m.maskedValues()).isEqualTo(2);
  }

  @Test
  void malformedRowsAreRejectedAndReleased() {
    CopyRowMasker m = text(REDACT, REDACT);
    for (String bad : new String[] {"a\tb", "a\n", "a\tb\tc\n", "a\tb\\"}) {
      ByteBuf in = copyData(bad);
      assertThatThrownBy(() -> m.mask(in, ALLOC)).isInstanceOf(PgProtocolException.class)
          .hasMessageStartingWith("CopyData: ");
      assertThat(in.refCnt()).isZero();
    }
    ByteBuf in = copyData("\"open,b\n");
    assertThatThrownBy(() -> csv(REDACT, REDACT).mask(in, ALLOC))
        .hasMessage("CopyData: row not terminated by a newline (expected: whole rows in each message)");
    assertThat(in.refCnt()).isZero();
  }

  @Test
  void binaryCopyIsRefusedWithAClearType() {
    CopyRowMasker.checkMaskable(new CopyOutResponse((byte) 0, new short[] {0, 0}));
    assertThatThrownBy(() -> CopyRowMasker.checkMaskable(new CopyOutResponse((byte) 1, new short[] {1})))
        .isInstanceOf(BinaryCopyNotMaskableException.class)
        .hasMessage("COPY format: binary (expected: text or csv when the policy masks columns)")
        .satisfies(e -> assertThat(((PgProtocolException) e).sqlState()).isEqualTo("0A000"));
  }

  @Test
  void rowsFedByteByByteThroughTheFramerAreMaskedWhole() {
    CopyRowMasker m = csv(ColumnMask.NONE, EMAILS);
    byte[] wireBytes = wire(
        bytes(Unpooled.wrappedBuffer(encode("1,\"a,b@c.de\"\n"))),
        bytes(Unpooled.wrappedBuffer(encode("2,plain\n"))));
    EmbeddedChannel channel = new EmbeddedChannel(new PgMessageFramer(1 << 20));
    List<String> rows = new ArrayList<>();
    for (byte b : wireBytes) {
      channel.writeInbound(ALLOC.buffer(1).writeByte(b));
      PgFrame f;
      while ((f = channel.readInbound()) != null) {
        rows.add(data(m.mask(f.frame(), ALLOC)));
      }
    }
    channel.finishAndReleaseAll();
    assertThat(rows).containsExactly("1,\"a,[REDACTED]\"\n", "2,plain\n");
  }

  private static byte[] encode(String data) {
    ByteBuf buf = Unpooled.buffer();
    new BackendCopyData(data.getBytes(StandardCharsets.UTF_8)).encode(buf);
    byte[] b = bytes(buf);
    buf.release();
    return b;
  }
}
