package io.portcullis.approval;

import static io.portcullis.approval.Approvals.who;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.document.Identity;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class FileApprovalStoreTest {

  private static final Identity ALICE = who("alice", "dev");
  private static final Identity BOB = who("bob", "dba");

  @TempDir Path dataDir;

  private final Approvals.MutableClock clock =
      new Approvals.MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

  private ApprovalService start() throws Exception {
    return ApprovalService.start(ApprovalSettings.defaults(), FileApprovalStore.inDataDir(dataDir),
        ApprovalNotifier.none(), clock);
  }

  private Path file() {
    return dataDir.resolve("approvals/approvals.jsonl");
  }

  private static Map<String, ApprovalRequest> byId(List<ApprovalRequest> requests) {
    return requests.stream().collect(Collectors.toMap(ApprovalRequest::id, Function.identity()));
  }

  @Test
  void aRestartRebuildsDecidedRequestsAndCancelsThoseStillPending() throws Exception {
    String approved;
    String denied;
    String pending;
    try (ApprovalService service = start()) {
      approved = ApprovalServiceTest.hold(service, ALICE).id();
      denied = ApprovalServiceTest.hold(service, ALICE).id();
      pending = ApprovalServiceTest.hold(service, ALICE).id();
      service.approve(approved, BOB, "ok");
      service.deny(denied, BOB, "no");
    }
    clock.advance(java.time.Duration.ofSeconds(5));

    Map<String, ApprovalRequest> after;
    try (ApprovalService service = start()) {
      after = byId(service.list(null));
    }

    assertThat(after.get(approved).outcome())
        .isEqualTo(new ApprovalOutcome.Approved("bob", Instant.parse("2026-03-01T10:00:00Z"), "ok"));
    assertThat(after.get(denied).outcome()).isInstanceOf(ApprovalOutcome.Denied.class);
    assertThat(after.get(pending).outcome()).isEqualTo(
        new ApprovalOutcome.Cancelled(Instant.parse("2026-03-01T10:00:05Z"), "gateway restarted"));
    assertThat(after.get(pending).requestDocument().at("/identity/subject").asText())
        .isEqualTo("alice");

    long lines = Files.readAllLines(file()).size();
    try (ApprovalService service = start()) {
      assertThat(byId(service.list(null)).get(pending).state()).isEqualTo(ApprovalState.CANCELLED);
    }
    assertThat(Files.readAllLines(file())).as("nothing left to cancel").hasSize((int) lines);
  }

  @Test
  void aTornLastLineIsIgnoredAndCutOffSoTheNextEventStartsCleanly() throws Exception {
    String id;
    try (ApprovalService service = start()) {
      id = ApprovalServiceTest.hold(service, ALICE).id();
      service.approve(id, BOB, null);
    }
    Files.writeString(file(), "{\"event\":\"resolved\",\"id\":\"" + id + "\",\"outc",
        StandardOpenOption.APPEND);

    String second;
    try (ApprovalService service = start()) {
      assertThat(service.get(id).state()).isEqualTo(ApprovalState.APPROVED);
      second = ApprovalServiceTest.hold(service, ALICE).id();
      service.deny(second, BOB, "no");
    }
    try (ApprovalService service = start()) {
      assertThat(service.get(id).state()).isEqualTo(ApprovalState.APPROVED);
      assertThat(service.get(second).state()).isEqualTo(ApprovalState.DENIED);
    }
    assertThat(Files.readString(file())).doesNotContain("\"outc\n").endsWith("\n");
  }

  @Test
  void anUnreadableLineInTheMiddleIsSkipped() throws Exception {
    String id;
    try (ApprovalService service = start()) {
      id = ApprovalServiceTest.hold(service, ALICE).id();
    }
    List<String> lines = Files.readAllLines(file());
    assertThat(lines).hasSize(1); // closing does not record the pending request as cancelled
    Files.write(file(), List.of("not json", lines.get(0), "{\"event\":\"nonsense\"}"),
        StandardCharsets.UTF_8);

    try (ApprovalService service = start()) {
      assertThat(service.get(id).state()).isEqualTo(ApprovalState.CANCELLED);
    }
  }

  @Test
  void nothingIsCreatedUntilTheFirstEventAndThenOnlyTheOwnerCanRead() throws Exception {
    try (ApprovalService service = start()) {
      assertThat(service.list(null)).isEmpty();
      assertThat(file()).doesNotExist();
      ApprovalServiceTest.hold(service, ALICE).outcome();
      assertThat(file()).exists();
    }
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file())))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void eachEventIsOneJsonLineNamingItsKind() throws Exception {
    try (ApprovalService service = start()) {
      var held = ApprovalServiceTest.hold(service, ALICE);
      service.cancel(held.id(), "client disconnected");
      held.outcome().get(5, TimeUnit.SECONDS);
    }
    List<String> lines = Files.readAllLines(file());
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("{\"event\":\"created\",\"request\":{\"id\":\"apr_");
    assertThat(lines.get(1)).startsWith("{\"event\":\"resolved\",\"id\":\"apr_")
        .contains("\"outcome\":{\"state\":\"cancelled\"", "\"reason\":\"client disconnected\"");
  }
}
