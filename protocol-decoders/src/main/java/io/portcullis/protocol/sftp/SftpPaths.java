package io.portcullis.protocol.sftp;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Lexical normalisation of SFTP paths for policy: relative paths resolved against a home
 * directory, {@code .} and {@code ..} collapsed, duplicate and trailing slashes removed.
 *
 * <p>Lexical means symbolic links on the server are not followed: {@code /a/link/../b} becomes
 * {@code /a/b} here even if the server resolves it elsewhere. Policies that rely on directory
 * prefixes therefore also refuse creating links (see the README's SFTP section).
 */
public final class SftpPaths {

  private SftpPaths() {
  }

  /**
   * Normalises {@code path}: absolute as it is, relative (including empty, which OpenSSH reads as
   * the current directory) against {@code home}.
   *
   * @param home an absolute path, normalised the same way
   * @throws SftpProtocolException if either path contains NUL or {@code home} is not absolute
   */
  public static String normalize(String path, String home) {
    requireNonNull(path, "path");
    requireNonNull(home, "home");
    if (path.indexOf('\0') >= 0) {
      throw new SftpProtocolException("path: contains NUL (expected: none)");
    }
    if (path.startsWith("/")) {
      return collapse(path);
    }
    if (!home.startsWith("/")) {
      throw new SftpProtocolException("home: relative (expected: an absolute path)");
    }
    if (home.indexOf('\0') >= 0) {
      throw new SftpProtocolException("home: contains NUL (expected: none)");
    }
    return collapse(home + "/" + path);
  }

  /** Whether {@code path} (normalised) is {@code dir} or inside it (both normalised). */
  public static boolean isUnder(String path, String dir) {
    return path.equals(dir) || dir.equals("/") || path.startsWith(dir + "/");
  }

  private static String collapse(String absolute) {
    Deque<String> parts = new ArrayDeque<>();
    for (String part : absolute.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(part);
      }
    }
    if (parts.isEmpty()) {
      return "/";
    }
    StringBuilder out = new StringBuilder(absolute.length());
    for (String part : parts) {
      out.append('/').append(part);
    }
    return out.toString();
  }
}
