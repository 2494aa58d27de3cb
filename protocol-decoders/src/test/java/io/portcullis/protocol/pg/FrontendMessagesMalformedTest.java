package io.portcullis.protocol.pg;

import static io.portcullis.protocol.pg.FrontendMessagesTest.assertRejected;
import static io.portcullis.protocol.pg.Wire.hex;
import static io.portcullis.protocol.pg.Wire.wire;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class FrontendMessagesMalformedTest {

  @Test
  void unknownTypeIsRejected() {
    assertRejected(wire('z', hex("00 00 00 04")), "unknown frontend message type: 'z'");
  }

  @Test
  void unprintableUnknownTypeIsShownInHex() {
    assertRejected(wire(hex("01 00 00 00 04")), "unknown frontend message type: 0x01");
  }

  @Test
  void queryWithoutNulTerminatorIsRejected() {
    assertRejected(wire('Q', hex("00 00 00 0c"), "SELECT 1"), "Query: missing NUL terminator in query string");
  }

  @Test
  void queryWithTrailingBytesIsRejected() {
    // An embedded NUL ends the string early and leaves the rest as trailing bytes.
    assertRejected(
        wire('Q', hex("00 00 00 0f"), "SELECT", hex("00"), "; X", hex("00")),
        "Query: trailing bytes: 4 (expected: 0)");
  }

  @Test
  void queryWithInvalidUtf8IsRejected() {
    assertRejected(wire('Q', hex("00 00 00 07"), hex("c3 28 00")), "Query: invalid UTF-8 in query string");
  }

  @Test
  void queryWithOverlongUtf8NulIsRejected() {
    // C0 80 is "modified UTF-8" for NUL; the server refuses it, so must we.
    assertRejected(wire('Q', hex("00 00 00 07"), hex("c0 80 00")), "Query: invalid UTF-8 in query string");
  }

  @Test
  void queryWithUtf8EncodedSurrogateIsRejected() {
    assertRejected(wire('Q', hex("00 00 00 08"), hex("ed a0 80 00")), "Query: invalid UTF-8 in query string");
  }

  @Test
  void emptyPayloadForQueryIsRejected() {
    assertRejected(wire('Q', hex("00 00 00 04")), "Query: missing NUL terminator in query string");
  }

  @Test
  void parseWithParameterCountBeyondPayloadIsRejected() {
    assertRejected(
        wire('P', hex("00 00 00 0d"), hex("00"), "x", hex("00"), hex("00 02"), hex("00 00 00 17")),
        "Parse: parameter type count: 2 exceeds the 4 bytes left");
  }

  @Test
  void bindWithNegativeValueLengthIsRejected() {
    assertRejected(
        wire('B', hex("00 00 00 10"), hex("00 00"), hex("00 00"), hex("00 01"), hex("ff ff ff fe"), hex("00 00")),
        "Bind: parameter value length: -2 (expected: >= -1)");
  }

  @Test
  void bindWithValueLongerThanPayloadIsRejected() {
    assertRejected(
        wire('B', hex("00 00 00 11"), hex("00 00"), hex("00 00"), hex("00 01"), hex("00 00 00 05"), "ab", hex("00")),
        "Bind: truncated parameter value: 3 bytes left (expected: >= 5)");
  }

  @Test
  void bindWithoutResultFormatCountIsRejected() {
    assertRejected(
        wire('B', hex("00 00 00 0a"), hex("00 00"), hex("00 00"), hex("00 00")),
        "Bind: truncated result format count: 0 bytes left (expected: >= 2)");
  }

  @Test
  void describeWithUnknownKindIsRejected() {
    assertRejected(wire('D', hex("00 00 00 06"), 'X', hex("00")), "Describe: kind: 'X' (expected: 'S' or 'P')");
  }

  @Test
  void closeWithUnknownKindIsRejected() {
    assertRejected(wire('C', hex("00 00 00 06"), 'Q', hex("00")), "Close: kind: 'Q' (expected: 'S' or 'P')");
  }

  @Test
  void executeWithoutRowCountIsRejected() {
    assertRejected(wire('E', hex("00 00 00 05"), hex("00")), "Execute: truncated maximum row count: 0 bytes left (expected: >= 4)");
  }

  @Test
  void syncWithPayloadIsRejected() {
    assertRejected(wire('S', hex("00 00 00 05"), hex("00")), "Sync: trailing bytes: 1 (expected: 0)");
  }

  @Test
  void terminateWithPayloadIsRejected() {
    assertRejected(wire('X', hex("00 00 00 06"), hex("00 00")), "Terminate: trailing bytes: 2 (expected: 0)");
  }

  @Test
  void functionCallWithNegativeArgumentLengthIsRejected() {
    assertRejected(
        wire('F', hex("00 00 00 12"), hex("00 00 06 3e"), hex("00 00"), hex("00 01"), hex("80 00 00 00"), hex("00 00")),
        "FunctionCall: argument length: -2147483648 (expected: >= -1)");
  }

  @Test
  void passwordMessageWithTrailingBytesIsRejected() {
    assertRejected(wire('p', hex("00 00 00 08"), "pw", hex("00"), "x"), "PasswordMessage: trailing bytes: 1 (expected: 0)");
  }

  @Test
  void saslInitialResponseWithNegativeLengthIsRejected() {
    ByteBuf payload = Wire.payloadAfterHeader(
        wire('p', hex("00 00 00 0a"), "M", hex("00"), hex("ff ff ff fd")), 5);
    try {
      assertThatThrownBy(() -> SASLInitialResponse.decode(payload))
          .isExactlyInstanceOf(PgProtocolException.class)
          .hasMessage("SASLInitialResponse: initial response length: -3 (expected: >= -1)");
    } finally {
      payload.release();
    }
  }

  @Test
  void constructorsRejectStringsThatCannotBeWritten() {
    assertThatThrownBy(() -> new Query("SELECT 1\0; DROP TABLE t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sql: NUL at index 8 (expected: none)");
    assertThatThrownBy(() -> new Query("\uD800"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sql: unpaired surrogate at index 0");
    assertThatThrownBy(() -> new Describe((byte) 'X', ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("kind: 'X' (expected: 'S' or 'P')");
  }
}
