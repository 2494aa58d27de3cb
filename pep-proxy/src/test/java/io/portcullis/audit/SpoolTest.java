package io.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

  @TempDir Path dir;

  private Chain.Head head = Chain.Head.empty();

  private List<Chain.Sealed> batch(int textBytes) {
    Chain.Sealed sealed = Chain.seal(head, Instant.now(), new TerminalOutput("ses_1", head.seq(), "o",
        "x".repeat(textBytes)));
    head = new Chain.Head(sealed.record().seq(), sealed.record().hash());
    return List.of(sealed);
  }

  @Test
  void onceFullItRefusesEvenSmallRecordsUntilReplayTookItDownToHalf() throws Exception {
    try (Spool spool = new Spool(dir, 1024, 4096, FileSync.FDATASYNC)) {
      int spooled = 0;
      while (true) {
        try {
          spool.append(batch(400));
          spooled++;
        } catch (AuditUnavailableException e) {
          assertThat(e).hasMessageContaining("audit spool full");
          break;
        }
      }
      assertThat(spooled).isBetween(3, 8);
      assertThat(spool.problem()).contains("audit spool full", "audit.spool_max_bytes");
      // A record that would still fit is refused too: no flapping while the database is down.
      assertThatThrownBy(() -> spool.append(batch(1))).isInstanceOf(AuditUnavailableException.class);
      assertThat(spool.problem()).isNotNull();

      // Replay confirms segment after segment; below half the limit the spool takes records again.
      int replayed = 0;
      while (spool.problem() != null) {
        List<String> lines = spool.next(1);
        assertThat(lines).as("replayable lines left").isNotEmpty();
        replayed += lines.size();
        spool.confirm();
      }
      assertThat(replayed).isLessThan(spooled);
      spool.append(batch(1));
    }
  }

  @Test
  void clearingADrainedSpoolMakesItWritableAgain() throws Exception {
    try (Spool spool = new Spool(dir, 1 << 20, 4096, FileSync.FDATASYNC)) {
      assertThatThrownBy(() -> {
        for (int i = 0; i < 100; i++) {
          spool.append(batch(400));
        }
      }).isInstanceOf(AuditUnavailableException.class);
      while (!spool.next(100).isEmpty()) {
        spool.confirm();
      }
      assertThat(spool.drained()).isTrue();
      spool.clear();
      assertThat(spool.problem()).isNull();
      spool.append(batch(400));
    }
  }

  @Test
  void aSpoolOverItsLimitAtStartIsFull() throws Exception {
    try (Spool spool = new Spool(dir, 1 << 20, 1 << 20, FileSync.FDATASYNC)) {
      for (int i = 0; i < 12; i++) {
        spool.append(batch(400));
      }
    }
    try (Spool spool = new Spool(dir, 1 << 20, 4096, FileSync.FDATASYNC)) {
      assertThat(spool.problem()).contains("audit spool full");
    }
  }
}
