package io.portcullis.protocol.sftp;

import java.util.Arrays;
import java.util.Optional;

/**
 * The {@code SSH_FXP_EXTENDED} requests the decoder knows, with what their arguments mean:
 * {@code path}/{@code targetPath} are the paths acted on and created, {@code handle} the handle
 * read or acted on, {@code writeHandle} the one written.
 */
public enum SftpExtension {
  /** oldpath, newpath: rename, replacing newpath. */
  POSIX_RENAME("posix-rename@openssh.com"),
  /** oldpath (existing), newpath (created): path = newpath, targetPath = oldpath. */
  HARDLINK("hardlink@openssh.com"),
  /** path. */
  STATVFS("statvfs@openssh.com"),
  /** handle. */
  FSTATVFS("fstatvfs@openssh.com"),
  /** handle. */
  FSYNC("fsync@openssh.com"),
  /** path, attrs. */
  LSETSTAT("lsetstat@openssh.com"),
  /** no arguments. */
  LIMITS("limits@openssh.com"),
  /** path. */
  EXPAND_PATH("expand-path@openssh.com"),
  /** read handle, offset, length, write handle, offset. */
  COPY_DATA("copy-data"),
  /** username. */
  HOME_DIRECTORY("home-directory"),
  /** uid list, gid list. */
  USERS_GROUPS_BY_ID("users-groups-by-id@openssh.com");

  private final String wireName;

  SftpExtension(String wireName) {
    this.wireName = wireName;
  }

  /** The name as sent in the request. */
  public String wireName() {
    return wireName;
  }

  /** The extension of that exact name, if known. */
  public static Optional<SftpExtension> byName(String name) {
    return Arrays.stream(values()).filter(e -> e.wireName.equals(name)).findFirst();
  }
}
