package io.portcullis.protocol.pg;

import static io.portcullis.protocol.pg.Wire.hex;
import static io.portcullis.protocol.pg.Wire.wire;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class BackendMessagesMalformedTest {

  private static void assertRejected(byte[] frame, String message) {
    assertThatThrownBy(() -> BackendMessagesTest.decode(frame))
        .isExactlyInstanceOf(PgProtocolException.class)
        .hasMessage(message);
  }

  @Test
  void unknownTypeIsRejected() {
    assertRejected(wire('y', hex("00 00 00 04")), "unknown backend message type: 'y'");
  }

  @Test
  void authenticationWithoutCodeIsRejected() {
    assertRejected(wire('R', hex("00 00 00 06"), hex("00 00")),
        "Authentication: truncated code: 2 bytes left (expected: >= 4)");
  }

  @Test
  void authenticationOkWithTrailingBytesIsRejected() {
    assertRejected(wire('R', hex("00 00 00 09"), hex("00 00 00 00 01")),
        "AuthenticationOk: trailing bytes: 1 (expected: 0)");
  }

  @Test
  void md5WithShortSaltIsRejected() {
    assertRejected(wire('R', hex("00 00 00 0b"), hex("00 00 00 05"), hex("01 02 03")),
        "AuthenticationMD5Password: truncated salt: 3 bytes left (expected: >= 4)");
  }

  @Test
  void saslWithoutListTerminatorIsRejected() {
    assertRejected(wire('R', hex("00 00 00 16"), hex("00 00 00 0a"), "SCRAM-SHA-256", hex("00")),
        "AuthenticationSASL: missing terminator after the mechanisms");
  }

  @Test
  void saslWithNoMechanismIsRejected() {
    assertRejected(wire('R', hex("00 00 00 09"), hex("00 00 00 0a"), hex("00")),
        "AuthenticationSASL: mechanisms: 0 (expected: >= 1)");
  }

  @Test
  void backendKeyDataWithShortKeyIsRejected() {
    assertRejected(wire('K', hex("00 00 00 0a"), hex("00 00 04 d2"), hex("01 02")),
        "BackendKeyData: secret key length: 2 (expected: 4..256)");
  }

  @Test
  void readyForQueryWithUnknownStatusIsRejected() {
    assertRejected(wire('Z', hex("00 00 00 05"), 'X'),
        "ReadyForQuery: transaction status: 'X' (expected: 'I', 'T' or 'E')");
  }

  @Test
  void errorResponseWithoutTerminatorIsRejected() {
    assertRejected(wire('E', hex("00 00 00 0b"), 'S', "ERROR", hex("00")),
        "ErrorResponse: missing terminator after the fields");
  }

  @Test
  void errorResponseFieldWithoutNulIsRejected() {
    assertRejected(wire('E', hex("00 00 00 0a"), 'S', "ERROR"),
        "ErrorResponse: missing NUL terminator in field 'S'");
  }

  @Test
  void noticeResponseWithTrailingBytesIsRejected() {
    assertRejected(wire('N', hex("00 00 00 08"), 'M', hex("00"), hex("00"), hex("00")),
        "NoticeResponse: trailing bytes: 1 (expected: 0)");
  }

  @Test
  void rowDescriptionWithCountBeyondPayloadIsRejected() {
    assertRejected(wire('T', hex("00 00 00 06"), hex("ff ff")),
        "RowDescription: field count: 65535 exceeds the 0 bytes left");
  }

  @Test
  void dataRowWithNegativeValueLengthIsRejected() {
    assertRejected(wire('D', hex("00 00 00 0a"), hex("00 01"), hex("ff ff ff f0")),
        "DataRow: column value length: -16 (expected: >= -1)");
  }

  @Test
  void commandCompleteWithInvalidUtf8IsRejected() {
    assertRejected(wire('C', hex("00 00 00 07"), hex("ff fe 00")),
        "CommandComplete: invalid UTF-8 in command tag");
  }

  @Test
  void negotiateProtocolVersionWithNegativeCountIsRejected() {
    assertRejected(wire('v', hex("00 00 00 0c"), hex("00 00 00 00"), hex("ff ff ff ff")),
        "NegotiateProtocolVersion: option count: -1 (expected: >= 0)");
  }

  @Test
  void negotiateProtocolVersionWithHugeCountIsRejectedBeforeAllocating() {
    assertRejected(wire('v', hex("00 00 00 0c"), hex("00 00 00 00"), hex("7f ff ff ff")),
        "NegotiateProtocolVersion: option count: 2147483647 exceeds the 0 bytes left");
  }

  @Test
  void copyInResponseWithMissingFormatIsRejected() {
    assertRejected(wire('G', hex("00 00 00 09"), hex("00"), hex("00 02"), hex("00 00")),
        "CopyInResponse: column format count: 2 exceeds the 2 bytes left");
  }

  @Test
  void parseCompleteWithPayloadIsRejected() {
    assertRejected(wire('1', hex("00 00 00 05"), hex("00")), "ParseComplete: trailing bytes: 1 (expected: 0)");
  }

  @Test
  void functionCallResponseWithTrailingBytesIsRejected() {
    assertRejected(wire('V', hex("00 00 00 0a"), hex("ff ff ff ff"), hex("00 00")),
        "FunctionCallResponse: trailing bytes: 2 (expected: 0)");
  }
}
