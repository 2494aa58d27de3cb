package io.portcullis.policy;

import io.portcullis.document.Context;
import io.portcullis.document.Identity;
import io.portcullis.document.RequestDocument;
import io.portcullis.document.SessionInfo;
import io.portcullis.document.SqlRequest;
import io.portcullis.document.SqlStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Request documents for policy client tests. */
final class Inputs {

  private Inputs() {}

  static RequestDocument select() {
    return new RequestDocument(1,
        new SessionInfo("ses_1", "postgres", "demo", Instant.EPOCH, new SessionInfo.Source("127.0.0.1", 5, false)),
        new Identity("ci", "http://idp", List.of("readers"), Map.of(), "oidc_jwt"),
        new SqlRequest("sql", "SELECT 1", List.of(new SqlStatement("SELECT", "read", List.of(), List.of(),
            null, null, null, null, List.of())), "demo", "query", null, "fp1"),
        Context.at(Instant.EPOCH));
  }

  static CacheKey key(String subject, String fingerprint) {
    return new CacheKey(subject, List.of("readers"), "demo", "demo", fingerprint, "SELECT 1");
  }
}
