package io.portcullis.approval;

import java.io.IOException;
import java.util.Collection;
import java.util.List;

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

  /**
   * The name of this gateway among those sharing the store, or null when the store is its own.
   * Requests it holds carry the name, so that a restart cancels only its own.
   */
  default String instance() {
    return null;
  }

  /**
   * Events appended since {@link #load} or the last poll, by any gateway sharing the store, in the
   * order they were recorded; always empty for a store that no other gateway writes. Events may
   * repeat ones seen before: applying an event twice must change nothing.
   *
   * @throws IOException when the store cannot be read now
   */
  default List<ApprovalEvent> poll() throws IOException {
    return List.of();
  }

  /**
   * A second outcome for a request refused by the store: another gateway recorded one first. The
   * request's outcome is the one recorded first; {@link #poll} brings it.
   */
  final class AlreadyResolved extends IOException {
    public AlreadyResolved(String id) {
      super("approval " + id + " was decided on another gateway first");
    }
  }

  @Override
  void close() throws IOException;
}
