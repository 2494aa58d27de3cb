package io.portcullis.protocol.pg;

import static io.portcullis.protocol.pg.Wire.hex;
import static io.portcullis.protocol.pg.Wire.wire;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class BackendMessagesTest {

  private static final byte[] KEY_32 = hex(
      "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f");

  /** Every backend message with its bytes, written by hand from the protocol docs. */
  static Stream<Arguments> golden() {
    return Stream.of(
        golden(AuthenticationOk.INSTANCE, wire('R', hex("00 00 00 08"), hex("00 00 00 00"))),
        golden(AuthenticationCleartextPassword.INSTANCE, wire('R', hex("00 00 00 08"), hex("00 00 00 03"))),
        golden(
            new AuthenticationMD5Password(hex("01 02 03 04")),
            wire('R', hex("00 00 00 0c"), hex("00 00 00 05"), hex("01 02 03 04"))),
        golden(
            new AuthenticationSASL(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256")),
            wire('R', hex("00 00 00 2a"), hex("00 00 00 0a"), "SCRAM-SHA-256-PLUS", hex("00"),
                "SCRAM-SHA-256", hex("00"), hex("00"))),
        golden(
            new AuthenticationSASLContinue(wire("r=abc")),
            wire('R', hex("00 00 00 0d"), hex("00 00 00 0b"), "r=abc")),
        golden(
            new AuthenticationSASLFinal(wire("v=xyz")),
            wire('R', hex("00 00 00 0d"), hex("00 00 00 0c"), "v=xyz")),
        golden(new AuthenticationUnsupported(7), wire('R', hex("00 00 00 08"), hex("00 00 00 07"))),
        golden(
            new BackendKeyData(1234, hex("01 02 03 04")),
            wire('K', hex("00 00 00 0c"), hex("00 00 04 d2"), hex("01 02 03 04"))),
        golden(new BackendKeyData(1234, KEY_32), wire('K', hex("00 00 00 28"), hex("00 00 04 d2"), KEY_32)),
        golden(
            new ParameterStatus("client_encoding", "UTF8"),
            wire('S', hex("00 00 00 19"), "client_encoding", hex("00"), "UTF8", hex("00"))),
        golden(new ReadyForQuery((byte) 'I'), wire('Z', hex("00 00 00 05"), 'I')),
        golden(
            ErrorResponse.of("ERROR", "42501", "permission denied", null, null),
            wire('E', hex("00 00 00 2d"), 'S', "ERROR", hex("00"), 'V', "ERROR", hex("00"),
                'C', "42501", hex("00"), 'M', "permission denied", hex("00"), hex("00"))),
        golden(
            new NoticeResponse(List.of(
                new NoticeResponse.Field((byte) 'S', "NOTICE"),
                new NoticeResponse.Field((byte) 'V', "NOTICE"),
                new NoticeResponse.Field((byte) 'M', "hi"))),
            wire('N', hex("00 00 00 19"), 'S', "NOTICE", hex("00"), 'V', "NOTICE", hex("00"),
                'M', "hi", hex("00"), hex("00"))),
        golden(
            new RowDescription(List.of(
                new RowDescription.Field("?column?", 0, (short) 0, 23, (short) 4, -1, (short) 0))),
            wire('T', hex("00 00 00 21"), hex("00 01"), "?column?", hex("00"), hex("00 00 00 00"),
                hex("00 00"), hex("00 00 00 17"), hex("00 04"), hex("ff ff ff ff"), hex("00 00"))),
        golden(
            new DataRow(Arrays.asList(wire("1"), null)),
            wire('D', hex("00 00 00 0f"), hex("00 02"), hex("00 00 00 01"), "1", hex("ff ff ff ff"))),
        golden(new CommandComplete("SELECT 1"), wire('C', hex("00 00 00 0d"), "SELECT 1", hex("00"))),
        golden(EmptyQueryResponse.INSTANCE, wire('I', hex("00 00 00 04"))),
        golden(ParseComplete.INSTANCE, wire('1', hex("00 00 00 04"))),
        golden(BindComplete.INSTANCE, wire('2', hex("00 00 00 04"))),
        golden(CloseComplete.INSTANCE, wire('3', hex("00 00 00 04"))),
        golden(NoData.INSTANCE, wire('n', hex("00 00 00 04"))),
        golden(PortalSuspended.INSTANCE, wire('s', hex("00 00 00 04"))),
        golden(
            new ParameterDescription(new int[] {23, 25}),
            wire('t', hex("00 00 00 0e"), hex("00 02"), hex("00 00 00 17"), hex("00 00 00 19"))),
        golden(
            new CopyInResponse((byte) 0, new short[] {0, 0}),
            wire('G', hex("00 00 00 0b"), hex("00"), hex("00 02"), hex("00 00"), hex("00 00"))),
        golden(
            new CopyOutResponse((byte) 1, new short[] {1}),
            wire('H', hex("00 00 00 09"), hex("01"), hex("00 01"), hex("00 01"))),
        golden(new CopyBothResponse((byte) 0, new short[0]), wire('W', hex("00 00 00 07"), hex("00"), hex("00 00"))),
        golden(new BackendCopyData(wire("1\n")), wire('d', hex("00 00 00 06"), "1", hex("0a"))),
        golden(BackendCopyDone.INSTANCE, wire('c', hex("00 00 00 04"))),
        golden(
            new NotificationResponse(42, "jobs", "go"),
            wire('A', hex("00 00 00 10"), hex("00 00 00 2a"), "jobs", hex("00"), "go", hex("00"))),
        golden(
            new NegotiateProtocolVersion(0, List.of("_pq_.foo")),
            wire('v', hex("00 00 00 15"), hex("00 00 00 00"), hex("00 00 00 01"), "_pq_.foo", hex("00"))),
        golden(new FunctionCallResponse(hex("07")), wire('V', hex("00 00 00 09"), hex("00 00 00 01"), hex("07"))),
        golden(new FunctionCallResponse(null), wire('V', hex("00 00 00 08"), hex("ff ff ff ff"))));
  }

  private static Arguments golden(BackendMessage message, byte[] bytes) {
    return Arguments.of(Named.of(message.getClass().getSimpleName(), message), bytes);
  }

  @ParameterizedTest
  @MethodSource("golden")
  void encodeWritesGoldenBytes(BackendMessage message, byte[] bytes) {
    assertThat(Wire.written(message::encode)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @MethodSource("golden")
  void decodeReadsGoldenBytesWithoutMovingReaderIndex(BackendMessage message, byte[] bytes) {
    ByteBuf payload = Wire.payloadAfterHeader(bytes, 5);
    try {
      BackendMessage decoded = BackendMessages.decode(bytes[0], payload);
      assertThat(decoded).isExactlyInstanceOf(message.getClass());
      assertThat(decoded).usingRecursiveComparison().withStrictTypeChecking().isEqualTo(message);
      assertThat(payload.readerIndex()).isEqualTo(5);
    } finally {
      payload.release();
    }
  }

  @Test
  void everyPermittedBackendMessageHasAGoldenCase() {
    List<Class<?>> covered = golden().map(a -> ((Named<?>) a.get()[0]).getPayload().getClass())
        .<Class<?>>map(c -> c).distinct().toList();
    assertThat(covered).containsExactlyInAnyOrder(BackendMessage.class.getPermittedSubclasses());
  }

  @Test
  void gssContinueDecodesAsUnsupportedAndSkipsItsData() {
    BackendMessage decoded =
        decode(wire('R', hex("00 00 00 0a"), hex("00 00 00 08"), hex("aa bb")));
    assertThat(decoded).isEqualTo(new AuthenticationUnsupported(AuthenticationUnsupported.GSS_CONTINUE));
  }

  @Test
  void errorResponseOfAddsDetailAndHintWhenGiven() {
    ErrorResponse error = ErrorResponse.of("FATAL", "28000", "denied", "by policy", "ask an admin");
    assertThat(error.fields()).extracting(f -> (char) f.code()).containsExactly('S', 'V', 'C', 'M', 'D', 'H');
    assertThat(error.field('C')).isEqualTo("28000");
    assertThat(error.field('D')).isEqualTo("by policy");
    assertThat(error.field('H')).isEqualTo("ask an admin");
    assertThat(error.field('P')).isNull();
  }

  @Test
  void errorResponseDecodesFieldsInOrderAndLooksThemUp() {
    ErrorResponse error = (ErrorResponse) decode(
        wire('E', hex("00 00 00 1d"), 'S', "ERROR", hex("00"), 'C', "42P01", hex("00"),
            'M', "no table", hex("00"), hex("00")));
    assertThat(error.field('S')).isEqualTo("ERROR");
    assertThat(error.field('C')).isEqualTo("42P01");
    assertThat(error.field('M')).isEqualTo("no table");
    assertThat(error.field('H')).isNull();
  }

  @Test
  void secretsAreHiddenFromToString() {
    assertThat(new BackendKeyData(1, hex("de ad be ef")).toString()).contains("secretKey=<4 bytes>");
    assertThat(new AuthenticationSASLContinue(wire("r=nonce")).toString()).doesNotContain("nonce");
  }

  static BackendMessage decode(byte[] frame) {
    ByteBuf payload = Wire.payloadAfterHeader(frame, 5);
    try {
      return BackendMessages.decode(frame[0], payload);
    } finally {
      payload.release();
    }
  }
}
