package io.portcullis.protocol.pg;

import static io.portcullis.protocol.pg.Wire.hex;
import static io.portcullis.protocol.pg.Wire.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
class FrontendMessagesTest {

  /** Every frontend message with its bytes, written by hand from the protocol docs. */
  static Stream<Arguments> golden() {
    return Stream.of(
        golden(new Query("SELECT 1"), wire('Q', hex("00 00 00 0d"), "SELECT 1", hex("00"))),
        golden(
            new Parse("s1", "SELECT $1", new int[] {23}),
            wire('P', hex("00 00 00 17"), "s1", hex("00"), "SELECT $1", hex("00"),
                hex("00 01"), hex("00 00 00 17"))),
        golden(
            new Bind("", "s1", new short[] {1}, Arrays.asList(hex("00 00 00 2a"), null), new short[0]),
            wire('B', hex("00 00 00 1c"), hex("00"), "s1", hex("00"), hex("00 01 00 01"),
                hex("00 02"), hex("00 00 00 04 00 00 00 2a"), hex("ff ff ff ff"), hex("00 00"))),
        golden(new Describe((byte) 'S', "s1"), wire('D', hex("00 00 00 08"), 'S', "s1", hex("00"))),
        golden(new Execute("", 100), wire('E', hex("00 00 00 09"), hex("00"), hex("00 00 00 64"))),
        golden(Sync.INSTANCE, wire('S', hex("00 00 00 04"))),
        golden(Flush.INSTANCE, wire('H', hex("00 00 00 04"))),
        golden(new Close((byte) 'P', "c1"), wire('C', hex("00 00 00 08"), 'P', "c1", hex("00"))),
        golden(Terminate.INSTANCE, wire('X', hex("00 00 00 04"))),
        golden(
            new FunctionCall(1598, new short[] {1}, Arrays.asList(hex("01 02"), null), (short) 1),
            wire('F', hex("00 00 00 1a"), hex("00 00 06 3e"), hex("00 01 00 01"), hex("00 02"),
                hex("00 00 00 02 01 02"), hex("ff ff ff ff"), hex("00 01"))),
        golden(new CopyData(wire("a\tb\n")), wire('d', hex("00 00 00 08"), "a", hex("09"), "b", hex("0a"))),
        golden(CopyDone.INSTANCE, wire('c', hex("00 00 00 04"))),
        golden(new CopyFail("bad"), wire('f', hex("00 00 00 08"), "bad", hex("00"))),
        golden(new PasswordMessage("secret"), wire('p', hex("00 00 00 0b"), "secret", hex("00"))));
  }

  /** The 'p' messages that only the authentication phase tells apart. */
  static Stream<Arguments> goldenSasl() {
    return Stream.of(
        golden(
            new SASLInitialResponse("SCRAM-SHA-256", wire("n,,n=,r=abc")),
            wire('p', hex("00 00 00 21"), "SCRAM-SHA-256", hex("00"), hex("00 00 00 0b"), "n,,n=,r=abc")),
        golden(
            new SASLInitialResponse("SCRAM-SHA-256", null),
            wire('p', hex("00 00 00 16"), "SCRAM-SHA-256", hex("00"), hex("ff ff ff ff"))),
        golden(new SASLResponse(wire("c=biws")), wire('p', hex("00 00 00 0a"), "c=biws")));
  }

  private static Arguments golden(FrontendMessage message, byte[] bytes) {
    return Arguments.of(Named.of(message.getClass().getSimpleName(), message), bytes);
  }

  @ParameterizedTest
  @MethodSource({"golden", "goldenSasl"})
  void encodeWritesGoldenBytes(FrontendMessage message, byte[] bytes) {
    assertThat(Wire.written(message::encode)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @MethodSource("golden")
  void decodeReadsGoldenBytesWithoutMovingReaderIndex(FrontendMessage message, byte[] bytes) {
    ByteBuf payload = Wire.payloadAfterHeader(bytes, 5);
    try {
      FrontendMessage decoded = FrontendMessages.decode(bytes[0], payload);
      assertThat(decoded).isExactlyInstanceOf(message.getClass());
      assertThat(decoded).usingRecursiveComparison().withStrictTypeChecking().isEqualTo(message);
      assertThat(payload.readerIndex()).isEqualTo(5);
    } finally {
      payload.release();
    }
  }

  @Test
  void saslMessagesDecodeGoldenBytesThroughTheirOwnDecoders() {
    byte[] initial =
        wire('p', hex("00 00 00 21"), "SCRAM-SHA-256", hex("00"), hex("00 00 00 0b"), "n,,n=,r=abc");
    byte[] noData = wire('p', hex("00 00 00 16"), "SCRAM-SHA-256", hex("00"), hex("ff ff ff ff"));
    byte[] response = wire('p', hex("00 00 00 0a"), "c=biws");
    ByteBuf a = Wire.payloadAfterHeader(initial, 5);
    ByteBuf b = Wire.payloadAfterHeader(noData, 5);
    ByteBuf c = Wire.payloadAfterHeader(response, 5);
    try {
      SASLInitialResponse first = SASLInitialResponse.decode(a);
      assertThat(first.mechanism()).isEqualTo("SCRAM-SHA-256");
      assertThat(first.data()).isEqualTo(wire("n,,n=,r=abc"));
      assertThat(SASLInitialResponse.decode(b).data()).isNull();
      assertThat(SASLResponse.decode(c).data()).isEqualTo(wire("c=biws"));
      assertThat(List.of(a.readerIndex(), b.readerIndex(), c.readerIndex())).containsOnly(5);
    } finally {
      a.release();
      b.release();
      c.release();
    }
  }

  @Test
  void everyPermittedFrontendMessageHasAGoldenCase() {
    List<Class<?>> covered = Stream.concat(golden(), goldenSasl())
        .map(a -> ((Named<?>) a.get()[0]).getPayload().getClass())
        .<Class<?>>map(c -> c)
        .distinct()
        .toList();
    assertThat(covered).containsExactlyInAnyOrder(FrontendMessage.class.getPermittedSubclasses());
  }

  @Test
  void decodedBindKeepsNullParameterAsNullElement() {
    Bind bind = (Bind) decode(
        wire('B', hex("00 00 00 14"), hex("00"), hex("00"), hex("00 00"), hex("00 02"),
            hex("ff ff ff ff"), hex("00 00 00 00"), hex("00 00")));
    assertThat(bind.parameterValues()).hasSize(2);
    assertThat(bind.parameterValues().get(0)).isNull();
    assertThat(bind.parameterValues().get(1)).isEmpty();
  }

  @Test
  void bindWithMoreThan32767ParametersReadsCountAsUnsignedLikeTheServer() {
    int count = 40_000;
    byte[][] values = new byte[count][];
    Bind bind = new Bind("", "", new short[0], Arrays.asList(values), new short[0]);
    byte[] bytes = Wire.written(bind::encode);
    assertThat(((Bind) decode(bytes)).parameterValues()).hasSize(count);
  }

  @Test
  void queryDecodesMultibyteUtf8() {
    byte[] bytes = wire('Q', hex("00 00 00 10"), "SELECT 'é'", hex("00"));
    assertThat(((Query) decode(bytes)).sql()).isEqualTo("SELECT 'é'");
  }

  @Test
  void passwordMessageToStringHidesThePassword() {
    assertThat(new PasswordMessage("hunter2").toString()).doesNotContain("hunter2");
    assertThat(new SASLResponse(wire("proof")).toString()).doesNotContain("proof");
  }

  static FrontendMessage decode(byte[] frame) {
    ByteBuf payload = Wire.payloadAfterHeader(frame, 5);
    try {
      return FrontendMessages.decode(frame[0], payload);
    } finally {
      payload.release();
    }
  }

  static void assertRejected(byte[] frame, String message) {
    assertThatThrownBy(() -> decode(frame))
        .isExactlyInstanceOf(PgProtocolException.class)
        .hasMessage(message)
        .extracting(e -> ((PgProtocolException) e).sqlState())
        .isEqualTo("08P01");
  }
}
