package io.portcullis.protocol.sftp;

import io.portcullis.protocol.sftp.SftpClientMessage.Extended;

/** Decodes the arguments of the {@code SSH_FXP_EXTENDED} requests in {@link SftpExtension}. */
final class SftpExtendedDecoder {

  private SftpExtendedDecoder() {
  }

  /**
   * Decodes from after the request id. For a known extension the payload must be consumed
   * exactly (the caller checks); for an unknown one the rest is left unread.
   */
  static Extended decode(SftpReader r, long id) {
    String name = r.readText("extended-request");
    SftpExtension known = SftpExtension.byName(name).orElse(null);
    if (known == null) {
      return new Extended(id, name, null, null, null, null, null);
    }
    return switch (known) {
      case POSIX_RENAME -> {
        String oldPath = r.readPath("oldpath");
        yield new Extended(id, name, known, oldPath, r.readPath("newpath"), null, null);
      }
      case HARDLINK -> {
        String existing = r.readPath("oldpath");
        yield new Extended(id, name, known, r.readPath("newpath"), existing, null, null);
      }
      case STATVFS, EXPAND_PATH -> new Extended(id, name, known, r.readPath("path"), null, null, null);
      case LSETSTAT -> {
        String path = r.readPath("path");
        r.skipAttrs("attrs");
        yield new Extended(id, name, known, path, null, null, null);
      }
      case FSTATVFS, FSYNC -> new Extended(id, name, known, null, null, r.readHandle("handle"), null);
      case LIMITS -> new Extended(id, name, known, null, null, null, null);
      case COPY_DATA -> {
        String read = r.readHandle("read-from-handle");
        r.readUint64("read-from-offset");
        r.readUint64("read-data-length");
        String write = r.readHandle("write-to-handle");
        r.readUint64("write-to-offset");
        yield new Extended(id, name, known, null, null, read, write);
      }
      case HOME_DIRECTORY -> {
        r.readText("username");
        yield new Extended(id, name, known, null, null, null, null);
      }
      case USERS_GROUPS_BY_ID -> {
        int uids = r.skipString("uids");
        int gids = r.skipString("gids");
        if (uids % 4 != 0 || gids % 4 != 0) {
          throw r.error("id lists: " + uids + " and " + gids + " bytes (expected: multiples of 4)");
        }
        yield new Extended(id, name, known, null, null, null, null);
      }
    };
  }
}
