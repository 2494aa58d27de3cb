package io.portcullis.http;

import io.portcullis.document.Identity;
import io.portcullis.document.SessionInfo;
import io.portcullis.monitor.SessionMonitor;
import java.util.concurrent.CompletableFuture;

/**
 * The requests of one identity over one client connection: one session in the audit log and in
 * monitoring. A connection whose requests carry tokens of two identities holds two sessions.
 * Touched only on the connection's event loop.
 */
final class HttpSession {

  final SessionInfo info;
  final Identity identity;
  final SessionMonitor monitor;
  /** Completes once the session's start is on record; no request of it goes on before. */
  final CompletableFuture<Void> started;
  long requests;
  long allowed;
  long denied;
  String endReason = "client_closed";

  HttpSession(SessionInfo info, Identity identity, SessionMonitor monitor, CompletableFuture<Void> started) {
    this.info = info;
    this.identity = identity;
    this.monitor = monitor;
    this.started = started;
  }
}
