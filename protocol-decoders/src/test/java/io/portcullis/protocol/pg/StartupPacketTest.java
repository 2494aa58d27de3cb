package io.portcullis.protocol.pg;

import static io.portcullis.protocol.pg.Wire.hex;
import static io.portcullis.protocol.pg.Wire.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class StartupPacketTest {

  static final byte[] STARTUP_3_0 = wire(hex("00 00 00 20"), hex("00 03 00 00"), "user", hex("00"),
      "alice", hex("00"), "database", hex("00"), "db", hex("00"), hex("00"));

  private static final byte[] KEY_32 = hex(
      "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f");

  static Stream<Arguments> golden() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("user", "alice");
    params.put("database", "db");
    return Stream.of(
        golden(SSLRequest.INSTANCE, wire(hex("00 00 00 08"), hex("04 d2 16 2f"))),
        golden(GSSENCRequest.INSTANCE, wire(hex("00 00 00 08"), hex("04 d2 16 30"))),
        golden(
            new CancelRequest(1234, hex("01 02 03 04")),
            wire(hex("00 00 00 10"), hex("04 d2 16 2e"), hex("00 00 04 d2"), hex("01 02 03 04"))),
        golden(
            new CancelRequest(1234, KEY_32),
            wire(hex("00 00 00 2c"), hex("04 d2 16 2e"), hex("00 00 04 d2"), KEY_32)),
        golden(new StartupMessage(StartupMessage.PROTOCOL_3_0, params), STARTUP_3_0),
        golden(
            new StartupMessage(196610, Map.of("user", "bob")),
            wire(hex("00 00 00 12"), hex("00 03 00 02"), "user", hex("00"), "bob", hex("00"), hex("00"))));
  }

  private static Arguments golden(StartupPacket packet, byte[] bytes) {
    return Arguments.of(Named.of(packet.getClass().getSimpleName(), packet), bytes);
  }

  @ParameterizedTest
  @MethodSource("golden")
  void encodeWritesGoldenBytes(StartupPacket packet, byte[] bytes) {
    assertThat(Wire.written(packet::encode)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @MethodSource("golden")
  void decodeReadsGoldenBytesWithoutMovingReaderIndex(StartupPacket packet, byte[] bytes) {
    ByteBuf body = Wire.payloadAfterHeader(bytes, 4);
    try {
      StartupPacket decoded = StartupPacket.decode(body);
      assertThat(decoded).usingRecursiveComparison().withStrictTypeChecking().isEqualTo(packet);
      assertThat(body.readerIndex()).isEqualTo(4);
    } finally {
      body.release();
    }
  }

  @Test
  void startupMessageKeepsParameterOrderAndIsUnmodifiable() {
    StartupMessage message = (StartupMessage) decode(STARTUP_3_0);
    assertThat(message.parameters()).containsExactly(Map.entry("user", "alice"), Map.entry("database", "db"));
    assertThat(message.minorVersion()).isZero();
    assertThatThrownBy(() -> message.parameters().put("user", "root"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void protocolVersion2IsRejectedAsUnsupported() {
    assertRejected(() -> decode(wire(hex("00 00 00 08"), hex("00 02 00 00"))),
        "unsupported protocol version: 2.0 (expected: 3.x)", "0A000");
  }

  @Test
  void unknownRequestCodeIsRejectedAsUnsupportedVersion() {
    assertRejected(() -> decode(wire(hex("00 00 00 08"), hex("04 d2 16 31"))),
        "unsupported protocol version: 1234.5681 (expected: 3.x)", "0A000");
  }

  @Test
  void duplicateParameterIsRejected() {
    assertRejected(() -> decode(wire(hex("00 00 00 17"), hex("00 03 00 00"), "user", hex("00"), "a", hex("00"),
            "user", hex("00"), "b", hex("00"), hex("00"))),
        "StartupMessage: duplicate parameter: user", "08P01");
  }

  @Test
  void missingListTerminatorIsRejected() {
    assertRejected(() -> decode(wire(hex("00 00 00 0f"), hex("00 03 00 00"), "user", hex("00"), "a", hex("00"))),
        "StartupMessage: missing terminator after the parameters", "08P01");
  }

  @Test
  void parameterValueWithoutNulIsRejected() {
    assertRejected(() -> decode(wire(hex("00 00 00 0f"), hex("00 03 00 00"), "user", hex("00"), "ab")),
        "StartupMessage: missing NUL terminator in value of parameter user", "08P01");
  }

  @Test
  void bytesAfterTerminatorAreRejected() {
    assertRejected(() -> decode(wire(hex("00 00 00 11"), hex("00 03 00 00"), "user", hex("00"), "a", hex("00"),
            hex("00"), hex("00"))),
        "StartupMessage: trailing bytes: 1 (expected: 0)", "08P01");
  }

  @Test
  void missingUserIsRejectedLikeTheServerDoes() {
    assertRejected(() -> decode(wire(hex("00 00 00 14"), hex("00 03 00 00"), "database", hex("00"), "d", hex("00"),
            hex("00"))),
        "StartupMessage: no user name (expected: a non-empty user parameter)", "28000");
  }

  @Test
  void emptyUserIsRejected() {
    assertRejected(() -> decode(wire(hex("00 00 00 0f"), hex("00 03 00 00"), "user", hex("00"), hex("00"), hex("00"))),
        "StartupMessage: no user name (expected: a non-empty user parameter)", "28000");
  }

  @Test
  void sslRequestWithExtraBytesIsRejected() {
    assertRejected(() -> decode(wire(hex("00 00 00 0c"), hex("04 d2 16 2f"), hex("00 00 00 00"))),
        "SSLRequest: trailing bytes: 4 (expected: 0)", "08P01");
  }

  @Test
  void cancelRequestWithShortKeyIsRejected() {
    assertRejected(() -> decode(wire(hex("00 00 00 0f"), hex("04 d2 16 2e"), hex("00 00 04 d2"), hex("01 02 03"))),
        "CancelRequest: secret key length: 3 (expected: 4..256)", "08P01");
  }

  @Test
  void truncatedCodeIsRejected() {
    assertRejected(() -> decode(wire(hex("00 00 00 06"), hex("00 03"))),
        "startup packet: truncated code: 2 bytes left (expected: >= 4)", "08P01");
  }

  @Test
  void cancelRequestToStringHidesTheKey() {
    assertThat(new CancelRequest(7, hex("01 02 03 04")).toString())
        .isEqualTo("CancelRequest[processId=7, secretKey=<4 bytes>]");
  }

  @Test
  void startupMessageRequiresUser() {
    assertThatThrownBy(() -> new StartupMessage(StartupMessage.PROTOCOL_3_0, Map.of("database", "d")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("parameters: no user (expected: a non-empty user)");
  }

  private static StartupPacket decode(byte[] packet) {
    ByteBuf body = Wire.payloadAfterHeader(packet, 4);
    try {
      return StartupPacket.decode(body);
    } finally {
      body.release();
    }
  }

  private static void assertRejected(ThrowingCallable call, String message, String sqlState) {
    assertThatThrownBy(call)
        .isExactlyInstanceOf(PgProtocolException.class)
        .hasMessage(message)
        .extracting(e -> ((PgProtocolException) e).sqlState())
        .isEqualTo(sqlState);
  }
}
