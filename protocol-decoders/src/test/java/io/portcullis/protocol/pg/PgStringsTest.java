package io.portcullis.protocol.pg;

import static io.portcullis.protocol.pg.Wire.hex;
import static io.portcullis.protocol.pg.Wire.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class PgStringsTest {

  @Test
  void readReturnsTheStringAndMovesPastTheNul() {
    ByteBuf in = Unpooled.wrappedBuffer(wire("ab", hex("00"), "cd", hex("00")));
    try {
      assertThat(PgStrings.read(in, 10)).isEqualTo("ab");
      assertThat(in.readerIndex()).isEqualTo(3);
      assertThat(PgStrings.read(in, 10)).isEqualTo("cd");
      assertThat(in.isReadable()).isFalse();
    } finally {
      in.release();
    }
  }

  @Test
  void readAcceptsAStringOfExactlyTheLimit() {
    ByteBuf in = Unpooled.wrappedBuffer(wire("abc", hex("00")));
    try {
      assertThat(PgStrings.read(in, 3)).isEqualTo("abc");
    } finally {
      in.release();
    }
  }

  @Test
  void readRejectsAStringOverTheLimitWithoutScanningFurther() {
    ByteBuf in = Unpooled.wrappedBuffer(wire("abcd", hex("00")));
    try {
      assertThatThrownBy(() -> PgStrings.read(in, 3))
          .isExactlyInstanceOf(PgProtocolException.class)
          .hasMessage("string length: > 3 (expected: <= 3)");
      assertThat(in.readerIndex()).isZero();
    } finally {
      in.release();
    }
  }

  @Test
  void readRejectsAMissingNul() {
    ByteBuf in = Unpooled.wrappedBuffer(wire("abc"));
    try {
      assertThatThrownBy(() -> PgStrings.read(in, 10))
          .isExactlyInstanceOf(PgProtocolException.class)
          .hasMessage("missing NUL terminator");
    } finally {
      in.release();
    }
  }

  @Test
  void readRejectsInvalidUtf8() {
    ByteBuf in = Unpooled.wrappedBuffer(hex("80 00"));
    try {
      assertThatThrownBy(() -> PgStrings.read(in, 10))
          .isExactlyInstanceOf(PgProtocolException.class)
          .hasMessage("invalid UTF-8 in string");
    } finally {
      in.release();
    }
  }

  @Test
  void writeEncodesUtf8IncludingSupplementaryCharactersAndAppendsNul() {
    String s = "é\uD83D\uDE00"; // é and an emoji outside the BMP
    assertThat(Wire.written(out -> PgStrings.write(out, s))).isEqualTo(hex("c3 a9 f0 9f 98 80 00"));
    assertThat(PgStrings.encodedLength(s)).isEqualTo(7);
  }

  @Test
  void writeRejectsEmbeddedNul() {
    assertThatThrownBy(() -> Wire.written(out -> PgStrings.write(out, "a\0b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("value: NUL at index 1 (expected: none)");
  }

  @Test
  void writeRejectsUnpairedSurrogate() {
    assertThatThrownBy(() -> Wire.written(out -> PgStrings.write(out, "a\uDC00")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("value: unpaired surrogate at index 1");
  }
}
