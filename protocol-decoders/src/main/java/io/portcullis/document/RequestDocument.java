package io.portcullis.document;

import static java.util.Objects.requireNonNull;

/**
 * The document sent to OPA as {@code input} for one request: who, over which session, asks what.
 *
 * @param version schema version of this document, {@link #CURRENT_VERSION}
 * @param session the session the request arrives on
 * @param identity the verified identity of the client
 * @param request the protocol-specific request
 * @param context volatile facts (time, activity, approval) that make a decision uncacheable when read
 */
public record RequestDocument(
    int version, SessionInfo session, Identity identity, ProtocolRequest request, Context context) {

  /** The schema version this code writes. */
  public static final int CURRENT_VERSION = 1;

  public RequestDocument {
    requireNonNull(session, "session");
    requireNonNull(identity, "identity");
    requireNonNull(request, "request");
    requireNonNull(context, "context");
  }
}
