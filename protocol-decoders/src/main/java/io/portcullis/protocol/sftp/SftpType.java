package io.portcullis.protocol.sftp;

/**
 * The SFTP packet type numbers of protocol version 3, plus {@code SSH_FXP_LINK} (21) from later
 * drafts, which OpenSSH does not implement but a client may still send.
 */
public final class SftpType {

  public static final int INIT = 1;
  public static final int VERSION = 2;
  public static final int OPEN = 3;
  public static final int CLOSE = 4;
  public static final int READ = 5;
  public static final int WRITE = 6;
  public static final int LSTAT = 7;
  public static final int FSTAT = 8;
  public static final int SETSTAT = 9;
  public static final int FSETSTAT = 10;
  public static final int OPENDIR = 11;
  public static final int READDIR = 12;
  public static final int REMOVE = 13;
  public static final int MKDIR = 14;
  public static final int RMDIR = 15;
  public static final int REALPATH = 16;
  public static final int STAT = 17;
  public static final int RENAME = 18;
  public static final int READLINK = 19;
  public static final int SYMLINK = 20;
  public static final int LINK = 21;
  public static final int STATUS = 101;
  public static final int HANDLE = 102;
  public static final int DATA = 103;
  public static final int NAME = 104;
  public static final int ATTRS = 105;
  public static final int EXTENDED = 200;
  public static final int EXTENDED_REPLY = 201;

  private SftpType() {
  }
}
