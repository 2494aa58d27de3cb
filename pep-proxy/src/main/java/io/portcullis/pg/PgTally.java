package io.portcullis.pg;

import io.netty.buffer.ByteBuf;
import io.portcullis.protocol.pg.CommandComplete;
import io.portcullis.protocol.pg.DataRow;
import io.portcullis.protocol.pg.RowDescription;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * What came back for one request, as the client received it, for the audit log: rows, bytes,
 * masked values, the error if any, and with {@code record: "full"} the response text itself, up
 * to a limit.
 */
final class PgTally {

  final long requestNo;
  final long startNanos;
  private final int captureLimit;
  private StringBuilder capture;
  private Long rows;
  private long bytes;
  private long relayedRows;
  private long masked;
  private String error;

  /**
   * @param requestNo the request's number in its session
   * @param captureLimit how many characters of the response to keep, or 0 to keep none
   */
  PgTally(long requestNo, int captureLimit) {
    this.requestNo = requestNo;
    this.startNanos = System.nanoTime();
    this.captureLimit = captureLimit;
    this.capture = captureLimit > 0 ? new StringBuilder() : null;
  }

  /** A row description went to the client: its field names head the captured text. */
  void columns(RowDescription description) {
    if (room()) {
      for (int i = 0; i < description.fields().size(); i++) {
        capture.append(i == 0 ? "" : "\t").append(description.fields().get(i).name());
      }
      capture.append('\n');
    }
  }

  /** {@code bytes} of rows went to the client, rewritten where the gateway could not keep them. */
  void sent(int bytes) {
    this.bytes += bytes;
  }

  /** A DataRow or CopyData message went to the client, as {@code frame}. */
  void row(ByteBuf frame, byte type) {
    bytes += frame.readableBytes();
    relayedRows++;
    if (!room()) {
      return;
    }
    ByteBuf payload = frame.slice(frame.readerIndex() + 5, frame.readableBytes() - 5);
    if (type == 'd') {
      capture.append(payload.toString(StandardCharsets.UTF_8));
      return;
    }
    var values = DataRow.decode(payload).values();
    for (int i = 0; i < values.size(); i++) {
      byte[] v = values.get(i);
      capture.append(i == 0 ? "" : "\t").append(v == null ? "\\N" : text(v));
    }
    capture.append('\n');
  }

  private static String text(byte[] value) {
    String s = new String(value, StandardCharsets.UTF_8);
    // Binary-format values are kept as hex; text as it is.
    return s.indexOf('\uFFFD') >= 0 ? "\\x" + HexFormat.of().formatHex(value) : s;
  }

  /** Whether the response text is kept. */
  boolean capturing() {
    return capture != null;
  }

  private boolean room() {
    return capture != null && capture.length() < captureLimit;
  }

  /** A statement of the request finished with this command tag. */
  void completed(CommandComplete tag) {
    String text = tag.tag();
    try {
      long n = Long.parseLong(text.substring(text.lastIndexOf(' ') + 1));
      rows = rows == null ? n : rows + n;
    } catch (NumberFormatException e) {
      // BEGIN, SET and the like carry no row count.
    }
  }

  void masked(long values) {
    masked += values;
  }

  void error(String message) {
    if (error == null) {
      error = message;
    }
  }

  /** Records the outcome; nothing waits for it. */
  void record(PgSession session) {
    if (session.monitor != null) {
      session.monitor.returned(relayedRows, bytes);
    }
    session.services.audit().requestCompleted(session.info.id(), requestNo, rows, bytes, masked, error,
        (System.nanoTime() - startNanos) / 1000, capture == null ? null : capture.toString());
  }
}
