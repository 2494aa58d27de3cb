package io.portcullis.ssh;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The handles of one SFTP channel and what the policy granted for each: an OPEN or OPENDIR the
 * gateway forwarded waits by request id until the target answers it with a HANDLE, which then
 * carries the access that OPEN was allowed. A request on a handle the gateway never saw granted is
 * refused. Both maps are bounded; the two relay threads share them.
 */
final class SftpGrants {

  /** What a handle may be used for. */
  record Grant(boolean read, boolean write, boolean directory) {
    static final Grant DIRECTORY = new Grant(false, false, true);
  }

  /** At most this many OPEN/OPENDIR requests awaiting their answer (OpenSSH keeps 64 in flight). */
  static final int MAX_PENDING = 1024;

  /** At most this many open handles (OpenSSH's server allows 512 by default). */
  static final int MAX_HANDLES = 1024;

  private final Map<Long, Grant> pending = new ConcurrentHashMap<>();
  private final Map<String, Grant> handles = new ConcurrentHashMap<>();

  /** Whether an OPEN or OPENDIR with this request id awaits its answer. */
  boolean inFlight(long id) {
    return pending.containsKey(id);
  }

  /**
   * Records an open about to be forwarded; false when too many are in flight. The caller refuses
   * an open whose id is {@link #inFlight} first: two opens under one id would leave the gateway
   * unable to tell which HANDLE answers which, and so which access each handle was granted.
   */
  boolean opening(long id, Grant grant) {
    if (pending.size() >= MAX_PENDING || handles.size() >= MAX_HANDLES) {
      return false;
    }
    return pending.putIfAbsent(id, grant) == null;
  }

  /** The target's HANDLE reply to request {@code id}. */
  void handle(long id, String handle) {
    Grant grant = pending.remove(id);
    if (grant != null) {
      handles.put(handle, grant);
    }
  }

  /** Any other reply to request {@code id}: an open that failed holds nothing. */
  void answered(long id) {
    pending.remove(id);
  }

  /** The grant of {@code handle}, or null for one the gateway never saw granted. */
  Grant of(String handle) {
    return handles.get(handle);
  }

  /** A CLOSE of {@code handle} is forwarded: it grants nothing after this. */
  void closed(String handle) {
    handles.remove(handle);
  }

  int open() {
    return handles.size();
  }
}
