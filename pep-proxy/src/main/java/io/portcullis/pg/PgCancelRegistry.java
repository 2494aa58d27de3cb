package io.portcullis.pg;

import io.portcullis.config.HostPort;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gateway-issued cancel keys, mapped to the target's own. A client only ever sees the gateway's
 * key; a CancelRequest with it is forwarded with the server's key to the server that runs the
 * session.
 */
public final class PgCancelRegistry {

  /** Where a cancel for one session must go, and with which key. */
  record Entry(byte[] gatewaySecret, HostPort target, int serverProcessId, byte[] serverSecret) {}

  private final ConcurrentHashMap<Integer, Entry> entries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, PgSession> sessions = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  /** Issues a fresh gateway key for a session; returns the gateway process id to hand out. */
  int register(byte[] gatewaySecret, HostPort target, int serverProcessId, byte[] serverSecret) {
    Entry entry = new Entry(gatewaySecret.clone(), target, serverProcessId, serverSecret.clone());
    while (true) {
      int pid = random.nextInt(1, Integer.MAX_VALUE);
      if (entries.putIfAbsent(pid, entry) == null) {
        return pid;
      }
    }
  }

  /** A new random secret of {@code length} bytes. */
  byte[] newSecret(int length) {
    byte[] secret = new byte[length];
    random.nextBytes(secret);
    return secret;
  }

  /** Ties a started session to its key, so that a cancel can reach a statement the gateway holds. */
  void attach(int processId, PgSession session) {
    if (entries.containsKey(processId)) {
      sessions.put(processId, session);
    }
  }

  /** The session a key belongs to, or null before it started or after it ended. */
  PgSession session(int processId) {
    return sessions.get(processId);
  }

  /** Forgets a session's key when the session ends. */
  void unregister(int processId) {
    entries.remove(processId);
    sessions.remove(processId);
  }

  /** The entry for a cancel request, or null when the key is unknown or the secret is wrong. */
  Entry lookup(int processId, byte[] secret) {
    Entry entry = entries.get(processId);
    if (entry == null || !MessageDigest.isEqual(entry.gatewaySecret(), secret)) {
      return null;
    }
    return entry;
  }
}
