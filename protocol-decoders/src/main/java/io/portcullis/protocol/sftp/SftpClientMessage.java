package io.portcullis.protocol.sftp;

import static java.util.Objects.requireNonNull;

/**
 * A client-to-server SFTP packet, decoded as far as policy needs: its request id and the paths,
 * handles and flags it acts on. Paths are as sent (not normalised); handles are one char per byte.
 */
public sealed interface SftpClientMessage {

  /** {@code SSH_FXP_INIT}: the client's protocol version; it has no request id. */
  record Init(long version) implements SftpClientMessage {
  }

  /** {@code SSH_FXP_OPEN}: a file by path with {@code SSH_FXF_*} flags. */
  record Open(long id, String path, long pflags) implements SftpClientMessage {
    public static final int READ = 0x01;
    public static final int WRITE = 0x02;
    public static final int APPEND = 0x04;
    public static final int CREAT = 0x08;
    public static final int TRUNC = 0x10;
    public static final int EXCL = 0x20;

    public Open {
      requireNonNull(path, "path");
    }

    public boolean read() {
      return (pflags & READ) != 0;
    }

    /** Whether the open can change the file: write, append, create or truncate. */
    public boolean write() {
      return (pflags & (WRITE | APPEND | CREAT | TRUNC | EXCL)) != 0;
    }

    public boolean create() {
      return (pflags & CREAT) != 0;
    }

    public boolean truncate() {
      return (pflags & TRUNC) != 0;
    }

    public boolean append() {
      return (pflags & APPEND) != 0;
    }

    public boolean exclusive() {
      return (pflags & EXCL) != 0;
    }
  }

  /**
   * A request on one path: {@code OPENDIR}, {@code REMOVE}, {@code MKDIR}, {@code RMDIR},
   * {@code SETSTAT}, {@code STAT}, {@code LSTAT}, {@code REALPATH} or {@code READLINK}
   * ({@link SftpType} numbers); attributes, where the packet has them, are validated and dropped.
   */
  record PathRequest(int type, long id, String path) implements SftpClientMessage {
    public PathRequest {
      requireNonNull(path, "path");
    }
  }

  /** {@code SSH_FXP_RENAME}: {@code oldPath} becomes {@code newPath}. */
  record Rename(long id, String oldPath, String newPath) implements SftpClientMessage {
    public Rename {
      requireNonNull(oldPath, "oldPath");
      requireNonNull(newPath, "newPath");
    }
  }

  /**
   * {@code SSH_FXP_SYMLINK}: creates {@code linkPath} pointing at {@code targetPath}. OpenSSH sends
   * the two in the opposite order to the draft (target first, then the link), and every server
   * that talks to OpenSSH clients reads them so; this record names them by meaning.
   */
  record Symlink(long id, String linkPath, String targetPath) implements SftpClientMessage {
    public Symlink {
      requireNonNull(linkPath, "linkPath");
      requireNonNull(targetPath, "targetPath");
    }
  }

  /** {@code SSH_FXP_LINK} (type 21, later drafts): creates {@code newPath} linked to an existing path. */
  record Link(long id, String newPath, String existingPath, boolean symbolic)
      implements SftpClientMessage {
    public Link {
      requireNonNull(newPath, "newPath");
      requireNonNull(existingPath, "existingPath");
    }
  }

  /** {@code SSH_FXP_READ} on a handle. */
  record Read(long id, String handle, long offset, long length) implements SftpClientMessage {
    public Read {
      requireNonNull(handle, "handle");
    }
  }

  /** {@code SSH_FXP_WRITE} on a handle; the data stays in the frame and is not copied. */
  record Write(long id, String handle, long offset, int dataLength) implements SftpClientMessage {
    public Write {
      requireNonNull(handle, "handle");
    }
  }

  /**
   * A request on one handle: {@code CLOSE}, {@code FSTAT}, {@code FSETSTAT} or {@code READDIR}
   * ({@link SftpType} numbers).
   */
  record HandleRequest(int type, long id, String handle) implements SftpClientMessage {
    public HandleRequest {
      requireNonNull(handle, "handle");
    }
  }

  /**
   * {@code SSH_FXP_EXTENDED}: an extension by name with its arguments where it is one of
   * {@link SftpExtension}; for an unknown extension only the name is decoded and the rest left.
   */
  record Extended(long id, String name, SftpExtension known, String path, String targetPath,
      String handle, String writeHandle) implements SftpClientMessage {
    public Extended {
      requireNonNull(name, "name");
    }
  }

  /** A packet of a type no client sends in version 3 (or a server's type sent by the client). */
  record Unknown(int type, long id) implements SftpClientMessage {
  }

  /** The request id, or -1 for INIT, which has none. */
  default long requestId() {
    return switch (this) {
      case Init i -> -1;
      case Open o -> o.id();
      case PathRequest p -> p.id();
      case Rename r -> r.id();
      case Symlink s -> s.id();
      case Link l -> l.id();
      case Read r -> r.id();
      case Write w -> w.id();
      case HandleRequest h -> h.id();
      case Extended e -> e.id();
      case Unknown u -> u.id();
    };
  }
}
