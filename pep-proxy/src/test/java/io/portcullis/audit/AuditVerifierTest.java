package io.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditVerifierTest {

  @TempDir Path data;
  private Path dir;
  private PublicKey key;

  @BeforeEach
  void write() throws Exception {
    // 60 events, a checkpoint after every 10, small segments: several segment files.
    TestLogs.write(data, 8 * 1024, 10, 60);
    dir = TestLogs.auditDir(data);
    key = CheckpointSigner.readPublicKey(CheckpointSigner.publicKeyFile(data.resolve("audit-signing.key")));
  }

  private VerifyReport verify() throws Exception {
    return AuditVerifier.verify(AuditReader.embedded(dir), key);
  }

  private List<Path> segments() throws Exception {
    return SegmentFiles.list(dir);
  }

  private static List<String> lines(Path file) throws Exception {
    return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  private static void put(Path file, List<String> lines) throws Exception {
    Files.writeString(file, lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
  }

  @Test
  void intactLogVerifies() throws Exception {
    VerifyReport report = verify();
    assertThat(report.problems()).isEmpty();
    assertThat(report.ok()).isTrue();
    assertThat(segments()).hasSizeGreaterThan(2);
    // 60 events, 6 checkpoints after every 10th, none more at shutdown (nothing left unsigned).
    assertThat(report.records()).isEqualTo(66);
    assertThat(report.checkpoints()).isEqualTo(6);
    assertThat(report.lastSeq()).isEqualTo(66);
    assertThat(report.signedHeadSeq()).isEqualTo(66);
    assertThat(report.unsignedTail()).isZero();
  }

  @Test
  void editedValueIsCaughtAtItsSegmentAndLine() throws Exception {
    Path segment = segments().get(1);
    List<String> lines = lines(segment);
    lines.set(2, lines.get(2).replace("\"allow\":false", "\"allow\":true").replace("\"allow\":true", "\"allow\":true")
        .replace("alice", "mallory"));
    put(segment, lines);
    VerifyReport report = verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.problems()).singleElement().satisfies(p -> {
      assertThat(p.kind()).isEqualTo("edited");
      assertThat(p.location()).isEqualTo(segment.getFileName() + ":3");
      assertThat(p.detail()).contains("does not match its hash");
    });
  }

  @Test
  void editedAndRehashedRecordIsCaughtByTheNextLink() throws Exception {
    Path segment = segments().get(0);
    List<String> lines = lines(segment);
    ObjectNode tree = (ObjectNode) Json.mapper().readTree(lines.get(3));
    ((ObjectNode) tree.get("event")).put("message", "forged");
    tree.put("hash", Chain.recompute(tree));
    lines.set(3, CanonicalJson.of(tree));
    put(segment, lines);
    VerifyReport report = verify();
    assertThat(report.problems()).singleElement().satisfies(p -> {
      assertThat(p.kind()).isEqualTo("edited");
      assertThat(p.seq()).isEqualTo(4);
      assertThat(p.location()).isEqualTo(segment.getFileName() + ":4");
      assertThat(p.detail()).contains("seq 5 links to a different record");
    });
  }

  @Test
  void deletedRecordIsCaught() throws Exception {
    Path segment = segments().get(0);
    List<String> lines = lines(segment);
    lines.remove(4);
    put(segment, lines);
    assertThat(verify().problems()).singleElement().satisfies(p -> {
      assertThat(p.kind()).isEqualTo("deleted");
      assertThat(p.seq()).isEqualTo(5);
      assertThat(p.detail()).isEqualTo("record 5 missing between " + segment.getFileName() + ":4 and "
          + segment.getFileName() + ":5");
    });
  }

  @Test
  void reorderedRecordsAreCaught() throws Exception {
    Path segment = segments().get(0);
    List<String> lines = lines(segment);
    String fifth = lines.remove(4);
    lines.add(5, fifth);
    put(segment, lines);
    assertThat(verify().problems()).singleElement().satisfies(p -> {
      assertThat(p.kind()).isEqualTo("reordered");
      assertThat(p.seq()).isEqualTo(5);
      assertThat(p.detail()).isEqualTo("seq 5 stored after seq 6");
    });
  }

  @Test
  void deletedMiddleSegmentIsCaught() throws Exception {
    Path middle = segments().get(1);
    long first = SegmentFiles.firstSeq(middle);
    Files.delete(middle);
    assertThat(verify().problems()).singleElement().satisfies(p -> {
      assertThat(p.kind()).isEqualTo("deleted");
      assertThat(p.seq()).isEqualTo(first);
    });
  }

  @Test
  void tailCutAfterTheLastCheckpointInTheLogIsCaughtAgainstTheSignedHead() throws Exception {
    Path last = segments().get(segments().size() - 1);
    List<String> lines = lines(last);
    // Cut back to just after an earlier checkpoint (seq 55), so the log still ends on a signed record.
    int keep = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (Json.mapper().readTree(lines.get(i)).path("seq").asLong() == 55) {
        keep = i + 1;
      }
    }
    assertThat(keep).isPositive();
    put(last, lines.subList(0, keep));
    VerifyReport report = verify();
    assertThat(report.problems()).singleElement().satisfies(p -> {
      assertThat(p.kind()).isEqualTo("truncated");
      assertThat(p.detail()).isEqualTo("truncated after checkpoint 55: the log ends at seq 55 but the signed "
          + "head in checkpoint.json attests seq 66");
    });
  }

  @Test
  void wholeLastSegmentsDeletedAreCaught() throws Exception {
    List<Path> all = segments();
    Files.delete(all.get(all.size() - 1));
    Files.delete(all.get(all.size() - 2));
    assertThat(verify().problems()).singleElement()
        .satisfies(p -> assertThat(p.kind()).isEqualTo("truncated"));
  }

  @Test
  void checkpointHeadRemovedIsReported() throws Exception {
    Files.delete(dir.resolve(CheckpointHead.FILE));
    assertThat(verify().problems()).singleElement()
        .satisfies(p -> assertThat(p.detail()).contains("checkpoint.json is missing"));
  }

  @Test
  void checkpointsSignedByAnotherKeyFail() throws Exception {
    key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
    VerifyReport report = verify();
    assertThat(report.problems()).extracting(VerifyReport.Problem::kind).containsOnly("bad_signature");
    assertThat(report.problems()).hasSize(7); // 6 checkpoints and checkpoint.json
  }

  @Test
  void tornLastLineIsReportedAndCutOnTheNextStart() throws Exception {
    Path last = segments().get(segments().size() - 1);
    Files.writeString(last, "{\"event\":{\"kind\":\"sess", java.nio.file.StandardOpenOption.APPEND);
    assertThat(verify().problems()).extracting(VerifyReport.Problem::kind).containsExactly("torn");
    TestLogs.write(data, 8 * 1024, 10, 5);
    assertThat(verify().problems()).isEmpty();
    assertThat(verify().lastSeq()).isEqualTo(66 + 5 + 1); // five more and a shutdown checkpoint
  }

  @Test
  void sqlIsRecordedWithoutItsLiteralsSoPasswordsNeverAre() {
    assertThat(Redaction.sql("ALTER ROLE bob PASSWORD 'hunter2' VALID UNTIL 'infinity'", false))
        .isEqualTo("alter role bob password ? valid until ?");
    assertThat(Redaction.sql("create user x with password $p$se'cret$p$", false)).isEqualTo("create user x with password ?");
    assertThat(Redaction.sql("CREATE ROLE y PASSWORD E'a\\'b'", false)).isEqualTo("create role y password ?");
    assertThat(Redaction.sql("SELECT email FROM customers WHERE id = 1 AND name = 'x'", false))
        .isEqualTo("select email from customers where id = ? and name = ?");
    // What the lexer will not normalise is kept only as a hash and length.
    assertThat(Redaction.sql("SELECT 'hunter2", false)).matches("sql sha256:[0-9a-f]{24} length:15");
  }

  @Test
  void aFullRecordKeepsTheStatementAsSentUnlessItMentionsAPassword() {
    assertThat(Redaction.sql("DELETE FROM orders WHERE id = 42", true)).isEqualTo("DELETE FROM orders WHERE id = 42");
    assertThat(Redaction.sql("ALTER ROLE bob PASSWORD 'hunter2'", true)).isEqualTo("alter role bob password ?");
    assertThat(Redaction.sql("ALTER ROLE bob WITH /* x */ PaSsWoRd U&'hunter2'", true)).doesNotContain("hunter2");
  }
}
