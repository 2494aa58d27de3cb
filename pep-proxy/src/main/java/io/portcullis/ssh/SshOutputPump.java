package io.portcullis.ssh;

import io.portcullis.mask.DataPattern;
import io.portcullis.mask.MaskStrategy;
import io.portcullis.mask.StreamMasker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Copies one output stream of a target channel (stdout or stderr) to the client: masked by the
 * decision's data patterns, captured for the audit log when the decision says {@code record:
 * "full"}, and recorded as terminal output. An incomplete line is held back for masking only
 * while more output is on its way: when none has come for {@link #IDLE_FLUSH_MS}, it goes out.
 */
final class SshOutputPump {

  static final int BUFFER = 32 * 1024;
  static final int MAX_HOLD = 16 * 1024;
  static final long IDLE_FLUSH_MS = 20;

  private final SshSession session;
  private final StreamMasker masker;
  private final boolean terminal;
  private final StringBuilder capture;
  private final int captureLimit;
  long bytes;

  SshOutputPump(SshSession session, SshEnforced enforced, boolean terminal) {
    this.session = session;
    Map<DataPattern, MaskStrategy> masks = enforced.masks();
    this.masker = masks.isEmpty() ? null : new StreamMasker(masks, session.services.maskKey(), MAX_HOLD);
    this.terminal = terminal;
    this.captureLimit = enforced.recordFull() ? session.services.audit().fullResponseMaxBytes() : 0;
    this.capture = captureLimit > 0 ? new StringBuilder() : null;
  }

  /** Copies until {@code from} ends or the client has gone. */
  void run(InputStream from, OutputStream to) throws IOException {
    byte[] buffer = new byte[BUFFER];
    int n;
    try {
      while ((n = from.read(buffer)) >= 0) {
        if (masker == null) {
          emit(to, buffer, 0, n);
          continue;
        }
        emit(to, masker.feed(buffer, 0, n));
        if (masker.holding() && from.available() == 0) {
          sleep();
          if (from.available() == 0) {
            emit(to, masker.flush());
          }
        }
      }
    } finally {
      if (masker != null) {
        emit(to, masker.flush());
      }
    }
  }

  private static void sleep() throws IOException {
    try {
      Thread.sleep(IDLE_FLUSH_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    }
  }

  private void emit(OutputStream to, byte[] data) throws IOException {
    emit(to, data, 0, data.length);
  }

  private void emit(OutputStream to, byte[] data, int off, int len) throws IOException {
    if (len == 0) {
      return;
    }
    to.write(data, off, len);
    to.flush();
    bytes += len;
    if (terminal || capture != null) {
      String text = new String(data, off, len, StandardCharsets.UTF_8);
      if (terminal) {
        session.terminal("o", text);
      }
      if (capture != null && capture.length() < captureLimit) {
        capture.append(text);
      }
    }
  }

  /** Values masked so far. */
  long masked() {
    return masker == null ? 0 : masker.maskedCount();
  }

  /** The captured text, or null when nothing is captured. */
  String capture() {
    return capture == null ? null : capture.toString();
  }
}
