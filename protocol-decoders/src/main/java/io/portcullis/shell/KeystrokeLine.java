package io.portcullis.shell;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Follows the line being typed into an interactive shell, key by key, so that the gateway knows
 * exactly what the shell will run when Enter is pressed. It lets through only keys whose effect
 * on a readline-style line it knows: printable characters (appended), Backspace and DEL (erase the
 * last character), Ctrl-U and Ctrl-C (drop the line) and Ctrl-D. Every other control key (Tab
 * completion, arrows, history search, escape sequences, bracketed-paste markers) is dropped, so
 * the cursor always stays at the end of the line and the shell's line is the one seen here.
 * Not thread-safe.
 */
public final class KeystrokeLine {

  /** What to do with a key. */
  public enum Key {
    /** Send it to the target. */
    FORWARD,
    /** Do not send it. */
    DROP,
    /** Enter: decide {@link #takeLine()} first; send Enter only if it is allowed. */
    ENTER
  }

  /** Ctrl-U: readline's and the tty's "kill line". */
  public static final byte KILL_LINE = 0x15;

  private enum Escape { NONE, START, CSI }

  private final int maxBytes;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private Escape escape = Escape.NONE;
  private boolean afterCr;

  /** @param maxBytes the longest line followed; keys beyond it are dropped */
  public KeystrokeLine(int maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: >= 1)");
    }
    this.maxBytes = maxBytes;
  }

  /** Takes one key byte and says what to do with it. */
  public Key feed(int b) {
    b &= 0xFF;
    boolean crBefore = afterCr;
    afterCr = false;
    switch (escape) {
      case START -> {
        escape = b == '[' || b == 'O' ? Escape.CSI : Escape.NONE;
        return Key.DROP;
      }
      case CSI -> {
        if (b >= 0x40 && b <= 0x7E) {
          escape = Escape.NONE;
        }
        return Key.DROP;
      }
      case NONE -> { }
    }
    switch (b) {
      case '\r' -> {
        afterCr = true;
        return Key.ENTER;
      }
      case '\n' -> {
        return crBefore ? Key.DROP : Key.ENTER;
      }
      case 0x08, 0x7F -> {
        eraseLast();
        return Key.FORWARD;
      }
      case KILL_LINE, 0x03 -> {
        line.reset();
        return Key.FORWARD;
      }
      case 0x04 -> {
        return Key.FORWARD;
      }
      case 0x1B -> {
        escape = Escape.START;
        return Key.DROP;
      }
      default -> { }
    }
    if (b < 0x20) {
      return Key.DROP;
    }
    if (line.size() >= maxBytes) {
      return Key.DROP;
    }
    line.write(b);
    return Key.FORWARD;
  }

  /** The line typed so far. */
  public String line() {
    return line.toString(StandardCharsets.UTF_8);
  }

  /** The line typed, and starts a new one. */
  public String takeLine() {
    String text = line();
    line.reset();
    return text;
  }

  /** Erases the last character, all its UTF-8 bytes. */
  private void eraseLast() {
    byte[] bytes = line.toByteArray();
    int end = bytes.length;
    if (end == 0) {
      return;
    }
    end--;
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
      end--;
    }
    line.reset();
    line.write(bytes, 0, end);
  }
}
