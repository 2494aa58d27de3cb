package io.portcullis.protocol.pg;

import static io.portcullis.protocol.pg.Bytes.encode;
import static io.portcullis.protocol.pg.Bytes.payload;
import static io.portcullis.protocol.pg.Bytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden bytes for the backend messages, both ways. */
class BackendMessagesTest {

  private static BackendMessage decode(String frame) {
    return BackendMessages.decode(Bytes.hex(frame)[0], payload(frame));
  }

  private static void roundTrip(String frame) {
    String hex = frame.replace(" ", "");
    assertThat(encode(decode(frame))).isEqualTo(hex);
  }

  @Test
  void authentication() {
    assertThat(decode("52 00000008 00000000")).isEqualTo(AuthenticationOk.INSTANCE);
    assertThat(decode("52 00000008 00000003")).isEqualTo(AuthenticationCleartextPassword.INSTANCE);
    assertThat(((AuthenticationMD5Password) decode("52 0000000c 00000005 01020304")).salt())
        .containsExactly(1, 2, 3, 4);
    String sasl = "52 0000002a 0000000a " + text("SCRAM-SHA-256") + " 00 " + text("SCRAM-SHA-256-PLUS") + " 00 00";
    assertThat(((AuthenticationSASL) decode(sasl)).mechanisms()).containsExactly("SCRAM-SHA-256", "SCRAM-SHA-256-PLUS");
    roundTrip(sasl);
    roundTrip("52 0000000a 0000000b 6162");
    roundTrip("52 0000000a 0000000c 6364");
    assertThat(decode("52 00000008 00000007")).isEqualTo(new AuthenticationUnsupported(7));
  }

  @Test
  void sessionStartMessages() {
    roundTrip("4b 0000000c 00003039 deadbeef");
    BackendKeyData key = (BackendKeyData) decode("4b 0000000c 00003039 deadbeef");
    assertThat(key.processId()).isEqualTo(12345);
    String status = "53 00000019 " + text("client_encoding") + " 00 " + text("UTF8") + " 00";
    assertThat(decode(status.replace("00000019", "00000019"))).isEqualTo(new ParameterStatus("client_encoding", "UTF8"));
    roundTrip(status);
    roundTrip("5a 00000005 49");
    assertThat(decode("5a 00000005 54")).isEqualTo(new ReadyForQuery((byte) 'T'));
  }

  @Test
  void errorsAndNotices() {
    ErrorResponse built = ErrorResponse.of("ERROR", "42501", "no", null, "ask");
    String hex = encode(built);
    assertThat(hex).isEqualTo(("45 00000023 53 " + text("ERROR") + " 00 56 " + text("ERROR") + " 00 43 "
        + text("42501") + " 00 4d " + text("no") + " 00 48 " + text("ask") + " 00 00").replace(" ", ""));
    ErrorResponse back = (ErrorResponse) decode(hex);
    assertThat(back.field('C')).isEqualTo("42501");
    assertThat(back.field('D')).isNull();
    roundTrip("4e 0000000d 53 " + text("NOTICE") + " 00 00");
  }

  @Test
  void results() {
    String row = "54 0000001b 0001 " + text("id") + " 00 00004000 0001 00000017 0004 ffffffff 0000";
    RowDescription description = (RowDescription) decode(row);
    assertThat(description.fields()).singleElement().satisfies(f -> {
      assertThat(f.name()).isEqualTo("id");
      assertThat(f.tableOid()).isEqualTo(16384);
      assertThat(f.dataTypeOid()).isEqualTo(23);
    });
    roundTrip(row);
    DataRow data = (DataRow) decode("44 0000000f 0002 00000001 37 ffffffff");
    assertThat(data.values().get(0)).containsExactly('7');
    assertThat(data.values().get(1)).isNull();
    roundTrip("44 0000000f 0002 00000001 37 ffffffff");
    roundTrip("43 0000000d " + text("SELECT 1") + " 00");
    for (String empty : List.of("49", "31", "32", "33", "6e", "73", "63")) {
      roundTrip(empty + " 00000004");
    }
    roundTrip("74 0000000a 0001 00000017");
    roundTrip("47 00000009 00 0001 0000");
    roundTrip("48 00000009 00 0001 0000");
    roundTrip("57 00000007 00 0000");
    roundTrip("64 00000005 41");
    roundTrip("41 0000000d 00000001 " + text("ch") + " 00 " + text("p") + " 00");
    roundTrip("76 00000013 00000000 00000001 " + text("_pq_.x") + " 00");
    roundTrip("56 00000009 00000001 41");
    roundTrip("56 00000008 ffffffff");
  }

  @Test
  void badReadyForQueryStatusIsRejected() {
    assertThatThrownBy(() -> decode("5a 00000005 58")).hasMessageContaining("ReadyForQuery status: 'X'");
  }

  @Test
  void unknownBackendTypeIsRejected() {
    assertThatThrownBy(() -> decode("7e 00000004")).hasMessage("unknown backend message type: '~'");
  }
}
