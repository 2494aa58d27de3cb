package io.portcullis.audit;

import java.io.IOException;
import java.util.List;

/** Where sealed records are made durable. Only the audit writer thread calls a sink. */
interface AuditSink extends AutoCloseable {

  /**
   * The head of the chain already stored, read once at start.
   *
   * @throws IOException when the store cannot tell (unreachable and nothing spooled)
   */
  Chain.Head head() throws IOException;

  /**
   * Writes a batch, in order, and returns only once it is durable; on an exception none of the
   * batch counts as written (a retry of the same seqs is harmless).
   */
  void write(List<Chain.Sealed> batch) throws IOException;

  /**
   * Writes a batch that nothing waits for, in order; it may become durable only with the next
   * {@link #write} or {@link #sync}. The default makes it durable at once.
   */
  default void writeDeferred(List<Chain.Sealed> batch) throws IOException {
    write(batch);
  }

  /** Makes everything {@link #writeDeferred} wrote durable; true when there was something to do. */
  default boolean sync() throws IOException {
    return false;
  }

  /** Whether the sink is degraded in a way that should refuse new work (spool over its limit). */
  default String problem() {
    return null;
  }

  /** Bytes kept in a local spool while the store is down; read from any thread. */
  default long spoolBytes() {
    return 0;
  }

  @Override
  void close() throws IOException;
}
