package io.portcullis.protocol.sftp;

import io.netty.buffer.ByteBuf;
import io.portcullis.protocol.sftp.SftpServerMessage.Handle;
import io.portcullis.protocol.sftp.SftpServerMessage.Name;
import io.portcullis.protocol.sftp.SftpServerMessage.Other;
import io.portcullis.protocol.sftp.SftpServerMessage.Status;
import io.portcullis.protocol.sftp.SftpServerMessage.Version;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes server-to-client SFTP packets into {@link SftpServerMessage}s: HANDLE and VERSION
 * strictly, STATUS and NAME by their leading fields, the rest by type and id only.
 */
public final class SftpServerMessages {

  private SftpServerMessages() {
  }

  /** Decodes one frame; the frame is neither moved nor released. */
  public static SftpServerMessage decode(SftpFrame frame) {
    ByteBuf payload = frame.payload();
    int type = frame.type();
    SftpReader r = new SftpReader(payload, SftpClientMessages.name(type));
    if (type == SftpType.VERSION) {
      long version = r.readUint32("version");
      List<String> names = new ArrayList<>();
      while (r.remaining() > 0) {
        names.add(r.readText("extension name"));
        r.skipString("extension data");
      }
      return new Version(version, names);
    }
    long id = r.readUint32("id");
    return switch (type) {
      case SftpType.HANDLE -> {
        Handle handle = new Handle(id, r.readHandle("handle"));
        r.expectEnd();
        yield handle;
      }
      case SftpType.STATUS -> new Status(id, r.readUint32("code"));
      case SftpType.NAME -> {
        long count = r.readUint32("count");
        // Each entry holds at least two empty strings and an ATTRS flags word.
        if (count > r.remaining() / 12) {
          throw r.error("count: " + count + " (expected: <= " + r.remaining() / 12 + ")");
        }
        List<String> names = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
          names.add(r.readPath("filename"));
          r.skipString("longname");
          r.skipAttrs("attrs");
        }
        yield new Name(id, names);
      }
      default -> new Other(type, id);
    };
  }
}
