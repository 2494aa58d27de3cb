package io.portcullis.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks a whole audit log: every record's hash, every link, the sequence (nothing deleted,
 * duplicated or reordered), every checkpoint signature, and the log's end against the signed head
 * in {@code checkpoint.json} (nothing cut after the last checkpoint).
 */
public final class AuditVerifier {

  private record Entry(long seq, String hash, String prev, boolean hashOk, String location, Checkpoint checkpoint) {}

  private AuditVerifier() {}

  /** Verifies everything {@code reader} reads, with checkpoint signatures checked against {@code key}. */
  public static VerifyReport verify(AuditReader reader, PublicKey key) throws IOException {
    List<VerifyReport.Problem> problems = new ArrayList<>();
    List<Entry> entries = new ArrayList<>();
    // The head first: the gateway replaces it only after the records it covers are stored, so read
    // in this order a running gateway's log is never shorter than its head (no false truncation).
    String headLine = reader.checkpointHead();
    for (AuditReader.StoredLine line : reader.lines()) {
      if (!line.complete()) {
        problems.add(new VerifyReport.Problem("torn", line.location(), 0,
            "last line cut short without newline (a crash mid-write, or tampering)"));
        continue;
      }
      JsonNode tree = AuditReader.tree(line.text());
      if (tree == null || !tree.path("seq").canConvertToLong() || !tree.path("hash").isTextual()) {
        problems.add(new VerifyReport.Problem("malformed", line.location(), 0, "not an audit record"));
        continue;
      }
      AuditRecord record = AuditReader.parse(line.text());
      Checkpoint checkpoint = record != null && record.event() instanceof Checkpoint c ? c : null;
      long seq = tree.path("seq").asLong();
      String hash = tree.path("hash").asText();
      entries.add(new Entry(seq, hash, tree.path("prev").asText(), Chain.recompute(tree).equals(hash),
          line.location(), checkpoint));
    }

    // Content: a record whose hash does not cover what it says was edited in place.
    for (Entry e : entries) {
      if (!e.hashOk()) {
        problems.add(new VerifyReport.Problem("edited", e.location(), e.seq(),
            "content does not match its hash"));
      }
    }
    // Order, as stored.
    Map<Long, Entry> bySeq = new TreeMap<>();
    Set<Long> moved = new HashSet<>();
    long maxSeen = 0;
    for (Entry e : entries) {
      if (bySeq.containsKey(e.seq())) {
        problems.add(new VerifyReport.Problem("duplicated", e.location(), e.seq(),
            "seq " + e.seq() + " already at " + bySeq.get(e.seq()).location()));
        continue;
      }
      if (e.seq() < maxSeen) {
        moved.add(e.seq());
        problems.add(new VerifyReport.Problem("reordered", e.location(), e.seq(),
            "seq " + e.seq() + " stored after seq " + maxSeen));
      }
      bySeq.put(e.seq(), e);
      maxSeen = Math.max(maxSeen, e.seq());
    }
    // Gaps and links, in seq order.
    Entry previous = null;
    Map<Long, Entry> checkpoints = new HashMap<>();
    long verifiedCheckpoints = 0;
    long lastCheckpointSeq = 0;
    for (Entry e : bySeq.values()) {
      long expected = previous == null ? 1 : previous.seq() + 1;
      if (e.seq() > expected) {
        String between = previous == null ? "before " + e.location()
            : "between " + previous.location() + " and " + e.location();
        problems.add(new VerifyReport.Problem("deleted", e.location(), expected,
            (e.seq() - expected == 1 ? "record " + expected : "records " + expected + ".." + (e.seq() - 1))
                + " missing " + between));
      } else if (previous == null ? !e.prev().equals(Chain.ZERO) : !e.prev().equals(previous.hash())) {
        if (previous == null) {
          problems.add(new VerifyReport.Problem("edited", e.location(), e.seq(), "first record does not start the chain"));
        } else if (previous.hashOk() && e.hashOk() && !moved.contains(e.seq())) {
          problems.add(new VerifyReport.Problem("edited", previous.location(), previous.seq(),
              "rewritten with a new hash: seq " + e.seq() + " links to a different record"));
        }
      }
      if (e.checkpoint() != null) {
        Checkpoint c = e.checkpoint();
        if (c.coversSeq() != e.seq() - 1 || !e.prev().equals(c.coversHash())) {
          problems.add(new VerifyReport.Problem("bad_signature", e.location(), e.seq(),
              "checkpoint covers seq " + c.coversSeq() + ", not the record before it"));
        } else if (key == null || !CheckpointSigner.verify(c, key)) {
          problems.add(new VerifyReport.Problem("bad_signature", e.location(), e.seq(),
              key == null ? "no public key to verify the checkpoint with"
                  : "checkpoint signature does not verify (key " + c.keyId() + ")"));
        } else {
          verifiedCheckpoints++;
          checkpoints.put(e.seq(), e);
        }
        lastCheckpointSeq = e.seq();
      }
      previous = e;
    }
    long firstSeq = bySeq.isEmpty() ? 0 : bySeq.keySet().iterator().next();
    long lastSeq = previous == null ? 0 : previous.seq();
    long signedHead = checkHead(reader, headLine, key, bySeq, lastSeq, lastCheckpointSeq, problems);
    return new VerifyReport(problems.isEmpty(), entries.size(), verifiedCheckpoints, firstSeq, lastSeq,
        lastCheckpointSeq, signedHead, lastSeq - lastCheckpointSeq, List.copyOf(problems));
  }

  /** Compares the log's end with checkpoint.json; returns the head's seq, or 0. */
  private static long checkHead(AuditReader reader, String headLine, PublicKey key, Map<Long, Entry> bySeq,
      long lastSeq, long lastCheckpointSeq, List<VerifyReport.Problem> problems) {
    if (headLine == null) {
      if (reader.embedded() && lastCheckpointSeq > 0) {
        problems.add(new VerifyReport.Problem("truncated", CheckpointHead.FILE, 0,
            "checkpoint.json is missing although the log has checkpoints; its end cannot be checked"));
      }
      return 0;
    }
    JsonNode tree = AuditReader.tree(headLine);
    AuditRecord head = AuditReader.parse(headLine);
    if (tree == null || head == null || !(head.event() instanceof Checkpoint c)
        || !Chain.recompute(tree).equals(head.hash()) || key == null || !CheckpointSigner.verify(c, key)) {
      problems.add(new VerifyReport.Problem("bad_signature", CheckpointHead.FILE, 0,
          "checkpoint.json is not a validly signed checkpoint"));
      return 0;
    }
    Entry inLog = bySeq.get(head.seq());
    if (inLog == null && head.seq() > lastSeq) {
      problems.add(new VerifyReport.Problem("truncated", CheckpointHead.FILE, head.seq(),
          "truncated after checkpoint " + lastCheckpointSeq + ": the log ends at seq " + lastSeq
              + " but the signed head in checkpoint.json attests seq " + head.seq()));
    } else if (inLog != null && !inLog.hash().equals(head.hash())) {
      problems.add(new VerifyReport.Problem("edited", inLog.location(), head.seq(),
          "differs from the signed head in checkpoint.json"));
    }
    return head.seq();
  }
}
