package io.portcullis.protocol.sftp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** Builds SFTP packets byte by byte for tests, as OpenSSH's sftp client lays them out. */
final class SftpWire {

  private final ByteBuf body = Unpooled.buffer();

  static SftpWire packet(int type) {
    SftpWire w = new SftpWire();
    w.body.writeByte(type);
    return w;
  }

  SftpWire u8(int v) {
    body.writeByte(v);
    return this;
  }

  SftpWire u32(long v) {
    body.writeInt((int) v);
    return this;
  }

  SftpWire u64(long v) {
    body.writeLong(v);
    return this;
  }

  SftpWire str(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  SftpWire bytes(byte[] b) {
    body.writeInt(b.length).writeBytes(b);
    return this;
  }

  SftpWire raw(int... b) {
    for (int v : b) {
      body.writeByte(v);
    }
    return this;
  }

  /** Empty ATTRS (flags 0). */
  SftpWire noAttrs() {
    return u32(0);
  }

  /** The whole packet, length first. */
  byte[] frame() {
    byte[] payload = ByteBufUtil.getBytes(body);
    ByteBuf out = Unpooled.buffer(payload.length + 4);
    out.writeInt(payload.length).writeBytes(payload);
    byte[] bytes = ByteBufUtil.getBytes(out);
    out.release();
    return bytes;
  }

  /** The packet as a frame object (the caller releases it). */
  SftpFrame toFrame() {
    return new SftpFrame(Unpooled.wrappedBuffer(frame()));
  }

  /** Decodes the packet as a client request. */
  SftpClientMessage decodeClient() {
    SftpFrame f = toFrame();
    try {
      return SftpClientMessages.decode(f);
    } finally {
      f.release();
    }
  }

  /** Decodes the packet as a server reply. */
  SftpServerMessage decodeServer() {
    SftpFrame f = toFrame();
    try {
      return SftpServerMessages.decode(f);
    } finally {
      f.release();
    }
  }
}
