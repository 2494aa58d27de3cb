package io.portcullis.admin;

import io.portcullis.approval.ApprovalException;
import io.portcullis.approval.ApprovalRequest;
import io.portcullis.approval.ApprovalService;
import io.portcullis.approval.ApprovalState;
import java.util.List;

/**
 * The approval endpoints of the admin API: list, get, approve and deny, for the caller's own
 * verified identity.
 */
public final class ApprovalRoutes {

  private ApprovalRoutes() {}

  /** {@code {"approvals": [...]}}, oldest first. */
  record Listing(List<ApprovalRequest> approvals) {}

  /** The optional body of an approval. */
  record ApproveBody(String comment) {}

  /** The body of a denial. */
  record DenyBody(String reason) {}

  /** The routes, all under {@code /api/v1/approvals}. */
  public static List<AdminRoute> of(ApprovalService service) {
    return List.of(
        AdminRoute.get("/api/v1/approvals", r -> AdminResponse.json(200,
            new Listing(service.list(state(r.query().getOrDefault("state", "all")))))),
        AdminRoute.get("/api/v1/approvals/{id}",
            r -> decided(() -> service.get(r.params().get("id")))),
        AdminRoute.post("/api/v1/approvals/{id}/approve", r -> {
          ApproveBody body = r.json(ApproveBody.class);
          String comment = body == null ? null : body.comment();
          return decided(() -> service.approve(r.params().get("id"), r.caller(), comment));
        }),
        AdminRoute.post("/api/v1/approvals/{id}/deny", r -> {
          DenyBody body = r.json(DenyBody.class);
          if (body == null || body.reason() == null || body.reason().isBlank()) {
            throw new AdminException(400, "reason: missing (expected: {\"reason\": \"...\"})");
          }
          return decided(() -> service.deny(r.params().get("id"), r.caller(), body.reason()));
        }));
  }

  private static ApprovalState state(String name) {
    if (name.equalsIgnoreCase("all")) {
      return null;
    }
    try {
      return ApprovalState.parse(name);
    } catch (IllegalArgumentException e) {
      throw new AdminException(400, "state: " + name
          + " (expected: pending, approved, denied, expired, cancelled or all)");
    }
  }

  private interface Action {
    ApprovalRequest run();
  }

  private static AdminResponse decided(Action action) {
    try {
      return AdminResponse.json(200, action.run());
    } catch (ApprovalException e) {
      throw new AdminException(status(e), e.getMessage());
    }
  }

  static int status(ApprovalException e) {
    return switch (e) {
      case ApprovalException.NotFound n -> 404;
      case ApprovalException.NotAllowed n -> 403;
      case ApprovalException.NotPending n -> 409;
      case ApprovalException.Expired x -> 410;
      case ApprovalException.Unavailable u -> 503;
    };
  }
}
