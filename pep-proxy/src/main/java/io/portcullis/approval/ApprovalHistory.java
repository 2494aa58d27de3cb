package io.portcullis.approval;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds approval requests from their events, in order: a request as created, then its one
 * outcome. What contradicts that (an outcome for an unknown request, a second outcome) is
 * ignored with a warning, so a store never fails to load over one bad event.
 */
final class ApprovalHistory {

  private static final Logger log = LoggerFactory.getLogger(ApprovalHistory.class);

  private final Map<String, ApprovalRequest> requests = new LinkedHashMap<>();

  /** Applies one event; {@code where} names it in warnings (a file and line, a row). */
  void apply(ApprovalEvent event, String where) {
    switch (event) {
      case ApprovalEvent.Created c -> requests.putIfAbsent(c.id(), c.request());
      case ApprovalEvent.Resolved r -> {
        ApprovalRequest request = requests.get(r.id());
        if (request == null) {
          log.warn("{}: outcome for unknown approval {} ignored", where, r.id());
        } else if (request.state().terminal()) {
          log.warn("{}: second outcome for approval {} ignored (already {})",
              where, r.id(), request.state().wireName());
        } else {
          requests.put(r.id(), request.withOutcome(r.outcome()));
        }
      }
    }
  }

  /** Every request, each in its last state, in creation order. */
  Collection<ApprovalRequest> requests() {
    return requests.values();
  }
}
