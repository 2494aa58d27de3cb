package io.portcullis.pg;

import java.util.ArrayDeque;

/** The responses a session waits for from the server, oldest first (see {@link PgExpected}). */
final class PgExpectedQueue {

  private final ArrayDeque<PgExpected> queue = new ArrayDeque<>();

  void add(PgExpected expected) {
    queue.add(expected);
  }

  PgExpected peek() {
    return queue.peekFirst();
  }

  PgExpected poll() {
    return queue.pollFirst();
  }

  /**
   * Drops what the server will no longer answer: up to the next Sync (or simple Query), and that
   * one too when {@code inclusive} (it has just been answered with ReadyForQuery).
   */
  void popUntilSync(boolean inclusive) {
    while (!queue.isEmpty()) {
      PgExpected head = queue.peekFirst();
      boolean boundary = head instanceof PgExpected.SyncPoint || head instanceof PgExpected.QueryResults;
      if (boundary && !inclusive) {
        return;
      }
      queue.pollFirst();
      if (boundary) {
        return;
      }
    }
  }

  int size() {
    return queue.size();
  }
}
