package io.portcullis.protocol.sftp;

import static java.util.Objects.requireNonNull;

import io.portcullis.document.SftpOperation;
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
import java.util.Optional;

/**
 * Turns a decoded client request into the request document's {@link SftpOperation}: the
 * operation's name, its paths normalised against the home directory, and whether it reads or
 * writes. Requests on handles (and INIT, and unknown types) have none: the gateway judges them
 * against what it granted when the handle was opened.
 *
 * <p>{@code access} is set for every operation on a path, not only {@code open}, so a policy can
 * judge by it: {@code write} for everything that changes the file system (including rename,
 * symlink and link, whose both paths count), {@code read} for the rest, null for extensions that
 * name no path.
 */
public final class SftpOperations {

  private static final String READ = "read";
  private static final String WRITE = "write";

  private SftpOperations() {
  }

  /**
   * The operation to decide for {@code message}, or empty for a request on a handle, INIT or an
   * unknown type.
   *
   * @param home the target account's home directory (absolute), for relative paths
   * @throws SftpProtocolException if a path holds NUL
   */
  public static Optional<SftpOperation> of(SftpClientMessage message, String home) {
    requireNonNull(home, "home");
    return Optional.ofNullable(switch (message) {
      case Open o -> op("open", o.path(), null, o.write() ? WRITE : READ, null, home);
      case PathRequest p -> switch (p.type()) {
        case SftpType.OPENDIR -> op("opendir", p.path(), null, READ, null, home);
        case SftpType.REMOVE -> op("remove", p.path(), null, WRITE, null, home);
        case SftpType.MKDIR -> op("mkdir", p.path(), null, WRITE, null, home);
        case SftpType.RMDIR -> op("rmdir", p.path(), null, WRITE, null, home);
        case SftpType.SETSTAT -> op("setstat", p.path(), null, WRITE, null, home);
        case SftpType.STAT, SftpType.LSTAT -> op("stat", p.path(), null, READ, null, home);
        case SftpType.REALPATH -> op("realpath", p.path(), null, READ, null, home);
        case SftpType.READLINK -> op("readlink", p.path(), null, READ, null, home);
        default -> throw new IllegalStateException("path request of type " + p.type());
      };
      case Rename r -> op("rename", r.oldPath(), r.newPath(), WRITE, null, home);
      case Symlink s -> op("symlink", s.linkPath(), s.targetPath(), WRITE, null, home);
      case Link l -> op("link", l.newPath(), l.existingPath(), WRITE, null, home);
      case Extended e -> extended(e, home);
      case Init i -> null;
      case Read r -> null;
      case Write w -> null;
      case HandleRequest h -> null;
      case Unknown u -> null;
    });
  }

  private static SftpOperation extended(Extended e, String home) {
    if (e.known() == null) {
      return new SftpOperation("extended", null, null, null, e.name());
    }
    return switch (e.known()) {
      case POSIX_RENAME, HARDLINK, LSETSTAT -> op("extended", e.path(), e.targetPath(), WRITE, e.name(), home);
      case STATVFS, EXPAND_PATH -> op("extended", e.path(), null, READ, e.name(), home);
      case LIMITS, HOME_DIRECTORY, USERS_GROUPS_BY_ID, COPY_DATA ->
          new SftpOperation("extended", null, null, null, e.name());
      // On handles only: judged against the grants, never asked.
      case FSYNC, FSTATVFS -> null;
    };
  }

  private static SftpOperation op(String operation, String path, String target, String access,
      String extension, String home) {
    return new SftpOperation(operation, SftpPaths.normalize(path, home),
        target == null ? null : SftpPaths.normalize(target, home), access, extension);
  }
}
