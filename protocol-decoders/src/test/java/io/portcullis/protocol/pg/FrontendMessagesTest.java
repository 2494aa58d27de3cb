package io.portcullis.protocol.pg;

import static io.portcullis.protocol.pg.Bytes.encode;
import static io.portcullis.protocol.pg.Bytes.payload;
import static io.portcullis.protocol.pg.Bytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Golden bytes for every frontend message, both ways, and strict rejection of malformed ones. */
class FrontendMessagesTest {

  private static FrontendMessage decode(String frame) {
    byte[] bytes = Bytes.hex(frame);
    ByteBuf p = payload(frame);
    FrontendMessage m = FrontendMessages.decode(bytes[0], p);
    assertThat(p.readerIndex()).as("decode leaves the caller's reader index").isZero();
    return m;
  }

  private static void roundTrip(String frame, FrontendMessage expected) {
    String hex = frame.replace(" ", "");
    assertThat(encode(expected)).isEqualTo(hex);
    FrontendMessage decoded = decode(frame);
    assertThat(encode(decoded)).isEqualTo(hex);
  }

  @Test
  void query() {
    String frame = "51 0000000d " + text("SELECT 1") + " 00";
    roundTrip(frame, new Query("SELECT 1"));
    assertThat(decode(frame)).isEqualTo(new Query("SELECT 1"));
  }

  @Test
  void parse() {
    String frame = "50 00000017 " + text("s1") + " 00 " + text("SELECT $1") + " 00 0001 00000017";
    roundTrip(frame, new Parse("s1", "SELECT $1", new int[] {23}));
  }

  @Test
  void bind() {
    String frame = "42 0000001b 00 " + text("s1") + " 00 0001 0000 0002 00000001 " + text("7")
        + " ffffffff 0001 0001";
    Bind bind = (Bind) decode(frame);
    assertThat(bind.portal()).isEmpty();
    assertThat(bind.statement()).isEqualTo("s1");
    assertThat(bind.parameterValues().get(0)).containsExactly('7');
    assertThat(bind.parameterValues().get(1)).isNull();
    roundTrip(frame, bind);
  }

  @Test
  void describeExecuteCloseSyncFlushTerminate() {
    roundTrip("44 00000008 53 " + text("s1") + " 00", new Describe((byte) 'S', "s1"));
    roundTrip("45 00000009 00 00000000", new Execute("", 0));
    roundTrip("43 00000006 50 00", new Close((byte) 'P', ""));
    roundTrip("53 00000004", Sync.INSTANCE);
    roundTrip("48 00000004", Flush.INSTANCE);
    roundTrip("58 00000004", Terminate.INSTANCE);
  }

  @Test
  void copyMessages() {
    roundTrip("64 00000007 " + text("a\tb"), new CopyData("a\tb".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    roundTrip("63 00000004", CopyDone.INSTANCE);
    roundTrip("66 00000008 " + text("bad") + " 00", new CopyFail("bad"));
  }

  @Test
  void functionCall() {
    String frame = "46 00000014 00000390 0000 0001 00000002 " + text("42") + " 0000";
    FunctionCall call = (FunctionCall) decode(frame);
    assertThat(call.functionOid()).isEqualTo(912);
    roundTrip(frame, call);
  }

  @Test
  void passwordAndSasl() {
    roundTrip("70 00000008 " + text("tok") + " 00", new PasswordMessage("tok"));
    assertThat(new PasswordMessage("secret").toString()).doesNotContain("secret");
    ByteBuf out = Unpooled.buffer();
    new SASLInitialResponse("SCRAM-SHA-256", new byte[] {1, 2}).encode(out);
    assertThat(io.netty.buffer.ByteBufUtil.hexDump(out))
        .isEqualTo(("70 00000018 " + text("SCRAM-SHA-256") + " 00 00000002 0102").replace(" ", ""));
    out.release();
    assertThat(encode(new SASLResponse(new byte[] {9}))).isEqualTo("700000000509");
  }

  @Test
  void trailingBytesAreRejected() {
    assertThatThrownBy(() -> decode("53 00000005 00")).isInstanceOf(PgProtocolException.class)
        .hasMessage("Sync: 1 trailing bytes");
  }

  @Test
  void missingTerminatorIsRejected() {
    assertThatThrownBy(() -> decode("51 0000000c " + text("SELECT 1")))
        .hasMessage("string: missing NUL terminator");
  }

  @Test
  void embeddedNulIsRejected() {
    assertThatThrownBy(() -> decode("51 0000000f " + text("SELECT") + " 00 " + text("1;") + " 00"))
        .hasMessage("Query: 3 trailing bytes");
  }

  @Test
  void invalidUtf8IsRejected() {
    assertThatThrownBy(() -> decode("51 00000007 c0 af 00")).hasMessage("string: invalid UTF-8");
  }

  @Test
  void negativeCountsAreRejected() {
    assertThatThrownBy(() -> decode("42 0000000c 00 00 ffff 0000 0000"))
        .hasMessage("Bind parameter format count: -1 (expected: >= 0)");
  }

  @Test
  void truncatedValuesAreRejected() {
    assertThatThrownBy(() -> decode("42 00000010 00 00 0000 0001 00000009 41"))
        .hasMessageContaining("Bind parameter: truncated");
  }

  @Test
  void unknownTypeIsRejected() {
    assertThatThrownBy(() -> decode("7a 00000004")).hasMessage("unknown frontend message type: 'z'");
  }

  @Test
  void stringsWithNulCannotBeEncoded() {
    assertThatThrownBy(() -> encode(new Query("a\0b"))).isInstanceOf(IllegalArgumentException.class);
  }
}
