package io.portcullis.approval;

import java.io.IOException;
import java.util.Collection;

/**
 * Where approval requests are kept durably: an append-only log of events, replayed at start.
 * Implementations are thread-safe; {@link #append} returns only once the event is durable.
 */
public interface ApprovalStore extends AutoCloseable {

  /**
   * Every request recorded so far, each in its last recorded state, in creation order.
   *
   * @throws IOException when the store cannot be read at all
   */
  Collection<ApprovalRequest> load() throws IOException;

  /**
   * Records one event durably (fsynced for the file store) before returning.
   *
   * @throws IOException when the event could not be made durable
   */
  void append(ApprovalEvent event) throws IOException;

  @Override
  void close() throws IOException;
}
