package io.portcullis.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.document.Identity;
import io.portcullis.document.SessionInfo;
import io.portcullis.json.Json;
import io.portcullis.policy.Decision;
import io.portcullis.policy.PolicyVerdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the gateway calls to record sessions, requests, responses and approvals, for every
 * protocol. Each method returns a future that completes, on the audit writer thread, once the
 * record is durable (fsynced, or committed to PostgreSQL, or fsynced to the spool), or
 * exceptionally with {@link AuditUnavailableException} when it cannot be; callbacks must not block
 * and should hop back to their own event loop. An action must wait for its record's future.
 */
public final class AuditRecorder implements AutoCloseable {

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final AuditLog log;
  private final int fullResponseMaxBytes;

  private AuditRecorder(AuditLog log, int fullResponseMaxBytes) {
    this.log = log;
    this.fullResponseMaxBytes = fullResponseMaxBytes;
  }

  /** A recorder that records nothing (audit.enabled: false); its futures are already complete. */
  public static AuditRecorder disabled() {
    return new AuditRecorder(null, 0);
  }

  /**
   * Opens the configured store: reads its chain head, loads or creates the signing key.
   *
   * @param env where the PostgreSQL store's password is read from
   */
  public static AuditRecorder open(AuditSettings settings, Path dataDir, Map<String, String> env) {
    return open(settings, dataDir, env, FileSync.FDATASYNC, Clock.systemUTC());
  }

  static AuditRecorder open(AuditSettings settings, Path dataDir, Map<String, String> env, FileSync sync,
      Clock clock) {
    if (!settings.enabled()) {
      return disabled();
    }
    Path dir = AuditSettings.directory(dataDir);
    CheckpointSigner signer = CheckpointSigner.loadOrCreate(settings.signingKey(dataDir));
    AuditSink sink;
    try {
      sink = switch (settings.store()) {
        case "postgres" -> new PostgresSink(settings.postgres(), settings.postgres().password(env),
            new Spool(dir.resolve("spool"), settings.segmentBytes(), settings.spoolMaxBytes(), sync));
        default -> new EmbeddedSink(dir, settings.segmentBytes(), sync);
      };
    } catch (IOException e) {
      throw new UncheckedIOException("audit store " + dir + ": " + e.getMessage(), e);
    }
    AuditLog log = new AuditLog(sink, signer, dir, sync, settings.checkpointEveryRecords(),
        Duration.ofSeconds(settings.checkpointEveryS()), settings.queueRecords(), clock);
    return new AuditRecorder(log, settings.fullResponseMaxBytes());
  }

  /** Whether records are being written; false means the gateway must refuse new requests. */
  public boolean healthy() {
    return log == null || log.problem() == null;
  }

  /** Why records cannot be written, or null when {@link #healthy()}. */
  public String problem() {
    return log == null ? null : log.problem();
  }

  /** Whether this recorder records anything. */
  public boolean enabled() {
    return log != null;
  }

  /** The most response text kept per request under {@code record: "full"}. */
  public int fullResponseMaxBytes() {
    return fullResponseMaxBytes;
  }

  /** Records a session's start; the session should not reach its target before it completes. */
  public CompletableFuture<Void> sessionStarted(SessionInfo session, Identity identity, String clientCertSha256) {
    return sessionStarted(SessionStarted.of(session, identity, clientCertSha256));
  }

  /** Records a session's start. */
  public CompletableFuture<Void> sessionStarted(SessionStarted event) {
    return record(event);
  }

  /**
   * Records a request and its decision; the request must not be forwarded (nor its denial sent)
   * before the future completes.
   *
   * @param input the whole document sent to the policy (its SHA-256 is recorded; its request and
   *     context parts are kept, password literals redacted)
   */
  public CompletableFuture<Void> request(String sessionId, long requestNo, String message, Object input,
      PolicyVerdict verdict) {
    if (log == null) {
      return DONE;
    }
    JsonNode tree = Json.mapper().valueToTree(input);
    String inputSha256 = Chain.sha256Hex(CanonicalJson.of(tree));
    boolean exact = "full".equals(verdict.decision().record());
    JsonNode request = tree instanceof ObjectNode o ? Redaction.tree(o.path("request"), exact) : null;
    JsonNode context = tree instanceof ObjectNode o && o.hasNonNull("context") ? o.get("context") : null;
    Decision d = verdict.decision();
    var decision = new RequestDecided.DecisionRecord(d.allow(), d.reasons(), Json.mapper().valueToTree(d.mask()),
        d.approval() != null && d.approval().required(), d.record(), d.alerts(), verdict.decisionId(),
        verdict.revision(), verdict.source().name().toLowerCase(Locale.ROOT), verdict.latencyNanos() / 1000);
    return record(new RequestDecided(sessionId, requestNo, message,
        request == null || request.isMissingNode() ? null : request, context, inputSha256, decision));
  }

  /**
   * Records what came back for a request. {@code capture} (the response text as the client
   * received it, when the decision said {@code record: "full"}, else null) is cut at
   * {@code audit.full_response_max_bytes}. Nothing waits for this future but shutdown; with the
   * embedded store it completes once written, and the record is fsynced with the next one that
   * something waits for, or within about 20 ms.
   */
  public CompletableFuture<Void> requestCompleted(String sessionId, long requestNo, Long rows, long bytes,
      long maskedValues, String error, long durationUs, String capture) {
    String kept = capture;
    boolean truncated = false;
    if (capture != null) {
      byte[] utf8 = capture.getBytes(StandardCharsets.UTF_8);
      if (utf8.length > fullResponseMaxBytes) {
        kept = truncateUtf8(utf8, fullResponseMaxBytes);
        truncated = true;
      }
    }
    return record(new RequestCompleted(sessionId, requestNo, rows, bytes, maskedValues, error, durationUs,
        kept, truncated));
  }

  /** Records an approval event; an approved request should go on only after it completes. */
  public CompletableFuture<Void> approvalEvent(ApprovalEvent event) {
    return record(event);
  }

  /**
   * Records an alert a policy raised; durable as {@link #requestCompleted}'s record (the
   * request's own record, which names the alert, was already waited for).
   */
  public CompletableFuture<Void> alertRaised(AlertRaised event) {
    return record(event);
  }

  /** Records waiting for the writer thread now, for metrics. */
  public int queuedRecords() {
    return log == null ? 0 : log.queued();
  }

  /** Bytes in the PostgreSQL store's local spool, not yet in the database, for metrics. */
  public long spoolBytes() {
    return log == null ? 0 : log.spoolBytes();
  }

  /** Records a session's end; durable as {@link #requestCompleted}'s record. */
  public CompletableFuture<Void> sessionEnded(SessionEnded event) {
    return record(event);
  }

  /** Records terminal output (or input, or a resize) of an interactive session. */
  public CompletableFuture<Void> terminalOutput(TerminalOutput event) {
    return record(event);
  }

  private CompletableFuture<Void> record(AuditEvent event) {
    if (log == null) {
      return DONE;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    log.append(event).whenComplete((seq, error) -> {
      if (error != null) {
        done.completeExceptionally(error);
      } else {
        done.complete(null);
      }
    });
    return done;
  }

  static String truncateUtf8(byte[] utf8, int max) {
    int end = Math.max(0, max);
    // Never cut inside a multi-byte character: back up over continuation bytes.
    while (end > 0 && end < utf8.length && (utf8[end] & 0xC0) == 0x80) {
      end--;
    }
    return new String(utf8, 0, end, StandardCharsets.UTF_8);
  }

  /** Writes what is queued and a final checkpoint, then closes the store. */
  @Override
  public void close() {
    if (log != null) {
      log.close();
    }
  }
}
