package io.portcullis.protocol.sftp;

import io.netty.buffer.ByteBuf;
import io.portcullis.protocol.sftp.SftpClientMessage.Extended;
import io.portcullis.protocol.sftp.SftpClientMessage.HandleRequest;
import io.portcullis.protocol.sftp.SftpClientMessage.Init;
import io.portcullis.protocol.sftp.SftpClientMessage.Link;
import io.portcullis.protocol.sftp.SftpClientMessage.Open;
import io.portcullis.protocol.sftp.SftpClientMessage.PathRequest;
import io.portcullis.protocol.sftp.SftpClientMessage.Read;
import io.portcullis.protocol.sftp.SftpClientMessage.Rename;
import io.portcullis.protocol.sftp.SftpClientMessage.Symlink;
import io.portcullis.protocol.sftp.SftpClientMessage.Unknown;
import io.portcullis.protocol.sftp.SftpClientMessage.Write;

/** Decodes client-to-server SFTP packets into {@link SftpClientMessage}s. */
public final class SftpClientMessages {

  private SftpClientMessages() {
  }

  /** Decodes one frame; the frame is neither moved nor released. */
  public static SftpClientMessage decode(SftpFrame frame) {
    return decode(frame.payload());
  }

  /**
   * Decodes one payload (type byte first).
   *
   * @throws SftpProtocolException if it is truncated, has trailing bytes, a path that is not UTF-8
   *     or holds NUL, or a handle over 256 bytes
   */
  public static SftpClientMessage decode(ByteBuf payload) {
    int type = payload.getUnsignedByte(payload.readerIndex());
    SftpReader r = new SftpReader(payload, name(type));
    if (type == SftpType.INIT) {
      long version = r.readUint32("version");
      while (r.remaining() > 0) {
        r.skipString("extension name");
        r.skipString("extension data");
      }
      return new Init(version);
    }
    long id = r.readUint32("id");
    if (type == SftpType.EXTENDED) {
      Extended extended = SftpExtendedDecoder.decode(r, id);
      if (extended.known() != null) {
        r.expectEnd(); // an unknown extension's arguments have nothing to check against
      }
      return extended;
    }
    SftpClientMessage message = switch (type) {
      case SftpType.OPEN -> {
        String path = r.readPath("filename");
        long pflags = r.readUint32("pflags");
        r.skipAttrs("attrs");
        yield new Open(id, path, pflags);
      }
      case SftpType.MKDIR, SftpType.SETSTAT -> {
        String path = r.readPath("path");
        r.skipAttrs("attrs");
        yield new PathRequest(type, id, path);
      }
      case SftpType.OPENDIR, SftpType.REMOVE, SftpType.RMDIR, SftpType.STAT, SftpType.LSTAT,
          SftpType.REALPATH, SftpType.READLINK -> new PathRequest(type, id, r.readPath("path"));
      case SftpType.RENAME -> new Rename(id, r.readPath("oldpath"), r.readPath("newpath"));
      case SftpType.SYMLINK -> {
        // OpenSSH's order: the target first, then the link to create.
        String target = r.readPath("targetpath");
        String link = r.readPath("linkpath");
        yield new Symlink(id, link, target);
      }
      case SftpType.LINK -> {
        String newPath = r.readPath("new-link-path");
        String existing = r.readPath("existing-path");
        int symbolic = r.readUint8("sym-link");
        yield new Link(id, newPath, existing, symbolic != 0);
      }
      case SftpType.READ -> new Read(id, r.readHandle("handle"), r.readUint64("offset"),
          r.readUint32("len"));
      case SftpType.WRITE -> {
        String handle = r.readHandle("handle");
        long offset = r.readUint64("offset");
        int length = r.skipString("data");
        yield new Write(id, handle, offset, length);
      }
      case SftpType.FSETSTAT -> {
        String handle = r.readHandle("handle");
        r.skipAttrs("attrs");
        yield new HandleRequest(type, id, handle);
      }
      case SftpType.CLOSE, SftpType.FSTAT, SftpType.READDIR ->
          new HandleRequest(type, id, r.readHandle("handle"));
      default -> null;
    };
    if (message == null) {
      return new Unknown(type, id);
    }
    r.expectEnd();
    return message;
  }

  /** The packet's name for error messages, e.g. {@code SSH_FXP_OPEN}. */
  static String name(int type) {
    return switch (type) {
      case SftpType.INIT -> "SSH_FXP_INIT";
      case SftpType.VERSION -> "SSH_FXP_VERSION";
      case SftpType.OPEN -> "SSH_FXP_OPEN";
      case SftpType.CLOSE -> "SSH_FXP_CLOSE";
      case SftpType.READ -> "SSH_FXP_READ";
      case SftpType.WRITE -> "SSH_FXP_WRITE";
      case SftpType.LSTAT -> "SSH_FXP_LSTAT";
      case SftpType.FSTAT -> "SSH_FXP_FSTAT";
      case SftpType.SETSTAT -> "SSH_FXP_SETSTAT";
      case SftpType.FSETSTAT -> "SSH_FXP_FSETSTAT";
      case SftpType.OPENDIR -> "SSH_FXP_OPENDIR";
      case SftpType.READDIR -> "SSH_FXP_READDIR";
      case SftpType.REMOVE -> "SSH_FXP_REMOVE";
      case SftpType.MKDIR -> "SSH_FXP_MKDIR";
      case SftpType.RMDIR -> "SSH_FXP_RMDIR";
      case SftpType.REALPATH -> "SSH_FXP_REALPATH";
      case SftpType.STAT -> "SSH_FXP_STAT";
      case SftpType.RENAME -> "SSH_FXP_RENAME";
      case SftpType.READLINK -> "SSH_FXP_READLINK";
      case SftpType.SYMLINK -> "SSH_FXP_SYMLINK";
      case SftpType.LINK -> "SSH_FXP_LINK";
      case SftpType.STATUS -> "SSH_FXP_STATUS";
      case SftpType.HANDLE -> "SSH_FXP_HANDLE";
      case SftpType.DATA -> "SSH_FXP_DATA";
      case SftpType.NAME -> "SSH_FXP_NAME";
      case SftpType.ATTRS -> "SSH_FXP_ATTRS";
      case SftpType.EXTENDED -> "SSH_FXP_EXTENDED";
      case SftpType.EXTENDED_REPLY -> "SSH_FXP_EXTENDED_REPLY";
      default -> "SFTP packet " + type;
    };
  }
}
