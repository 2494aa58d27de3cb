package io.portcullis.protocol.pg;

import static io.portcullis.protocol.pg.Bytes.encode;
import static io.portcullis.protocol.pg.Bytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupPacketTest {

  private static StartupPacket decode(String packet) {
    byte[] bytes = Bytes.hex(packet);
    return StartupPacket.decode(Unpooled.wrappedBuffer(bytes, 4, bytes.length - 4));
  }

  @Test
  void startupMessage() {
    String packet = "00000022 00030000 " + text("user") + " 00 " + text("alice") + " 00 "
        + text("database") + " 00 " + text("demo") + " 00 00";
    Map<String, String> params = new LinkedHashMap<>();
    params.put("user", "alice");
    params.put("database", "demo");
    assertThat(decode(packet)).isEqualTo(new StartupMessage(196608, params));
    assertThat(encode(new StartupMessage(196608, params))).isEqualTo(packet.replace(" ", ""));
  }

  @Test
  void requests() {
    assertThat(decode("00000008 04d2162f")).isEqualTo(new SSLRequest());
    assertThat(decode("00000008 04d21630")).isEqualTo(new GSSENCRequest());
    CancelRequest cancel = (CancelRequest) decode("00000010 04d2162e 00000007 01020304");
    assertThat(cancel.processId()).isEqualTo(7);
    assertThat(cancel.secretKey()).containsExactly(1, 2, 3, 4);
    assertThat(encode(cancel)).isEqualTo("0000001004d2162e0000000701020304");
    assertThat(encode(new SSLRequest())).isEqualTo("0000000804d2162f");
  }

  @Test
  void protocolTwoIsRejected() {
    assertThatThrownBy(() -> decode("00000008 00020000"))
        .hasMessage("unsupported protocol version: 2.0 (expected: 3.x)");
  }

  @Test
  void startupWithoutUserIsRejected() {
    assertThatThrownBy(() -> decode("00000016 00030000 " + text("database") + " 00 " + text("x") + " 00 00"))
        .hasMessage("StartupMessage: no user given");
  }

  @Test
  void duplicateParameterIsRejected() {
    assertThatThrownBy(() -> decode("0000001b 00030000 " + text("user") + " 00 " + text("a") + " 00 "
        + text("user") + " 00 " + text("b") + " 00 00"))
        .hasMessage("StartupMessage: duplicate parameter user");
  }

  @Test
  void missingFinalTerminatorIsRejected() {
    assertThatThrownBy(() -> decode("00000012 00030000 " + text("user") + " 00 " + text("a") + " 00"))
        .hasMessage("StartupMessage: missing final terminator");
  }
}
