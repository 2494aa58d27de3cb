package io.portcullis.protocol.pg;

import io.netty.buffer.ByteBuf;

/** PasswordMessage: a cleartext or md5 password; through the gateway, the client's token. */
public record PasswordMessage(String password) implements FrontendMessage {

  public static PasswordMessage decode(ByteBuf in) {
    PasswordMessage message = new PasswordMessage(PgCodec.readString(in.duplicate()));
    // The payload must be exactly the string and its terminator.
    ByteBuf check = in.duplicate();
    PgCodec.readString(check);
    PgCodec.end(check, "PasswordMessage");
    return message;
  }

  @Override
  public void encode(ByteBuf out) {
    int at = PgCodec.begin(out, 'p');
    PgCodec.writeString(out, password);
    PgCodec.finish(out, at);
  }

  @Override
  public String toString() {
    return "PasswordMessage[password=<redacted>]";
  }
}
