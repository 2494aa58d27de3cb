package io.portcullis.approval;

import io.portcullis.document.Context;
import io.portcullis.document.Identity;
import io.portcullis.document.RequestDocument;
import io.portcullis.document.SessionInfo;
import io.portcullis.document.SqlRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Identities, documents and a clock for the approval tests. */
public final class Approvals {

  public static final String ISSUER = "https://idp.test";

  private Approvals() {}

  /** An identity of {@link #ISSUER}. */
  public static Identity who(String subject, String... groups) {
    return new Identity(subject, ISSUER, List.of(groups), Map.of(), "oidc_jwt");
  }

  /** A request document of {@code requester} on target orders-db. */
  public static RequestDocument document(Identity requester, String sql) {
    return new RequestDocument(1,
        new SessionInfo("ses_test1", "postgres", "orders-db", Instant.parse("2026-01-01T00:00:00Z"),
            new SessionInfo.Source("127.0.0.1", 50000, false)),
        requester,
        new SqlRequest("sql", sql, List.of(), "orders", "query", null, "fp"),
        Context.at(Instant.parse("2026-01-01T00:00:01Z")));
  }

  /**
   * Holds a request and waits until approvers can see it (it is durable).
   *
   * @return the holder's outcome
   */
  public static CompletableFuture<ApprovalOutcome> holdVisible(ApprovalService service,
      ApprovalRequest request) {
    CompletableFuture<ApprovalOutcome> outcome = service.hold(request);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (service.list(null).stream().noneMatch(r -> r.id().equals(request.id()))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("request " + request.id() + " not visible in time");
      }
      Thread.onSpinWait();
    }
    return outcome;
  }

  /** A clock a test moves by hand. */
  public static final class MutableClock extends Clock {
    private volatile Instant now;

    public MutableClock(Instant start) {
      this.now = start;
    }

    public void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
