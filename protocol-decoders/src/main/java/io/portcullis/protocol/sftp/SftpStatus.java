package io.portcullis.protocol.sftp;

/** The {@code SSH_FX_*} status codes of SFTP version 3. */
public final class SftpStatus {

  public static final int OK = 0;
  public static final int EOF = 1;
  public static final int NO_SUCH_FILE = 2;
  public static final int PERMISSION_DENIED = 3;
  public static final int FAILURE = 4;
  public static final int BAD_MESSAGE = 5;
  public static final int NO_CONNECTION = 6;
  public static final int CONNECTION_LOST = 7;
  public static final int OP_UNSUPPORTED = 8;

  private SftpStatus() {
  }
}
