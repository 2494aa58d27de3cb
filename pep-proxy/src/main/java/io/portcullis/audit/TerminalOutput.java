package io.portcullis.audit;

import static java.util.Objects.requireNonNull;

/**
 * Bytes shown on (or typed into) an interactive terminal, for asciicast export.
 *
 * @param sessionId the session
 * @param elapsedUs microseconds since the session started
 * @param stream {@code o} (output), {@code i} (input) or {@code r} (resize, data "COLSxROWS"),
 *     as in asciicast v2
 * @param data the text (UTF-8 decoded)
 */
public record TerminalOutput(String sessionId, long elapsedUs, String stream, String data)
    implements AuditEvent {

  public TerminalOutput {
    requireNonNull(sessionId, "sessionId");
    requireNonNull(stream, "stream");
    requireNonNull(data, "data");
    if (!stream.equals("o") && !stream.equals("i") && !stream.equals("r")) {
      throw new IllegalArgumentException("stream: " + stream + " (expected: o, i or r)");
    }
  }
}
