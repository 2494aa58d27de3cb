package io.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

  @TempDir Path data;

  /** Counts fsyncs, and can hold the next one until released, or fail them. */
  static final class CountingSync implements FileSync {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicBoolean failing = new AtomicBoolean();
    volatile CountDownLatch hold;
    volatile CountDownLatch entered = new CountDownLatch(1);

    @Override
    public void force(FileChannel channel) throws IOException {
      calls.incrementAndGet();
      entered.countDown();
      CountDownLatch h = hold;
      if (h != null) {
        try {
          h.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (failing.get()) {
        throw new IOException("No space left on device");
      }
      channel.force(false);
    }
  }

  @Test
  void onlyTheGatewaysUserCanReadTheSegments() throws Exception {
    TestLogs.write(data, 4096, 10, 40);
    Path dir = TestLogs.auditDir(data);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    List<Path> segments = SegmentFiles.list(dir);
    assertThat(segments).hasSizeGreaterThan(1);
    assertThat(segments).allSatisfy(segment ->
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(segment))).isEqualTo("rw-------"));
  }

  @Test
  void aResponseRecordRidesOnTheNextFsyncOrOneShortlyAfter() throws Exception {
    CountingSync sync = new CountingSync();
    try (AuditLog log = TestLogs.open(data, 1 << 20, 1_000_000, sync)) {
      log.append(TestLogs.start("ses_1", "alice")).get(5, TimeUnit.SECONDS);
      int afterStart = sync.calls.get();
      log.append(new RequestCompleted("ses_1", 1, 1L, 10, 0, null, 5, null, false)).get(5, TimeUnit.SECONDS);
      // The next record something waits for comes at once: one fsync covers both.
      log.append(TestLogs.start("ses_2", "bob")).get(5, TimeUnit.SECONDS);
      assertThat(sync.calls.get() - afterStart).isEqualTo(1);

      int before = sync.calls.get();
      log.append(new SessionEnded("ses_2", 10, "client_closed", null, 0, 0, 0)).get(5, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (sync.calls.get() == before && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(sync.calls.get() - before).as("an fsync of its own once the log is idle").isEqualTo(1);
    }
    VerifyReport report = AuditVerifier.verify(AuditReader.embedded(TestLogs.auditDir(data)),
        CheckpointSigner.readPublicKey(CheckpointSigner.publicKeyFile(data.resolve("audit-signing.key"))));
    assertThat(report.problems()).isEmpty();
    assertThat(report.records()).isEqualTo(5); // four and the shutdown checkpoint
  }

  @Test
  void futureCompletesOnlyAfterTheFsyncAndOneFsyncCoversEverythingQueuedMeanwhile() throws Exception {
    CountingSync sync = new CountingSync();
    sync.hold = new CountDownLatch(1);
    try (AuditLog log = TestLogs.open(data, 1 << 20, 1_000_000, sync)) {
      CompletableFuture<Long> first = log.append(TestLogs.start("ses_1", "alice"));
      assertThat(sync.entered.await(5, TimeUnit.SECONDS)).isTrue();
      List<CompletableFuture<Long>> queued = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        queued.add(log.append(new TerminalOutput("ses_1", i, "o", "line " + i + "\r\n")));
      }
      Thread.sleep(100);
      assertThat(first).isNotDone();
      assertThat(queued).noneMatch(CompletableFuture::isDone);
      int before = sync.calls.get();
      CountDownLatch held = sync.hold;
      sync.hold = null;
      held.countDown();
      assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(1);
      CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
      assertThat(queued.get(499).join()).isEqualTo(501);
      // The first fsync covered record 1; everything queued while it ran shares one or two more.
      assertThat(sync.calls.get() - before).isLessThanOrEqualTo(2);
      assertThat(sync.calls.get()).isLessThan(10);
    }
    VerifyReport report = AuditVerifier.verify(AuditReader.embedded(TestLogs.auditDir(data)),
        CheckpointSigner.readPublicKey(CheckpointSigner.publicKeyFile(data.resolve("audit-signing.key"))));
    assertThat(report.problems()).isEmpty();
    assertThat(report.records()).isEqualTo(502); // 501 and the shutdown checkpoint
  }

  @Test
  void unwritableStoreFailsTheFutureTypedAndRecoversWhenWritableAgain() throws Exception {
    CountingSync sync = new CountingSync();
    try (AuditLog log = TestLogs.open(data, 1 << 20, 1_000_000, sync)) {
      assertThat(log.append(TestLogs.start("ses_1", "alice")).get(5, TimeUnit.SECONDS)).isEqualTo(1);
      sync.failing.set(true);
      CompletableFuture<Long> refused = log.append(TestLogs.start("ses_2", "bob"));
      assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS)).cause()
          .isInstanceOf(AuditUnavailableException.class).hasMessageContaining("No space left on device");
      assertThat(log.problem()).contains("audit store unavailable");
      sync.failing.set(false);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (log.problem() != null && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(log.problem()).isNull();
      assertThat(log.append(TestLogs.start("ses_3", "carol")).get(5, TimeUnit.SECONDS)).isGreaterThan(1);
    }
    VerifyReport report = AuditVerifier.verify(AuditReader.embedded(TestLogs.auditDir(data)),
        CheckpointSigner.readPublicKey(CheckpointSigner.publicKeyFile(data.resolve("audit-signing.key"))));
    assertThat(report.problems()).isEmpty();
    assertThat(AuditReader.embedded(TestLogs.auditDir(data)).records())
        .extracting(r -> r.event().sessionId()).doesNotContain("ses_2").contains("ses_1", "ses_3");
  }

  @Test
  void recorderFutureFailsWithTheTypedExceptionItselfAndReportsUnhealthy() throws Exception {
    CountingSync sync = new CountingSync();
    try (AuditRecorder recorder = AuditRecorder.open(AuditSettings.defaults(), data, java.util.Map.of(), sync,
        java.time.Clock.systemUTC())) {
      assertThat(recorder.healthy()).isTrue();
      sync.failing.set(true);
      CompletableFuture<Void> f = recorder.request("ses_1", 1, "query",
          TestLogs.input("SELECT 1", "SELECT", "t"), TestLogs.verdict(true, "ok"));
      Throwable[] seen = new Throwable[1];
      f.handle((v, e) -> seen[0] = e).get(5, TimeUnit.SECONDS);
      assertThat(seen[0]).isInstanceOf(AuditUnavailableException.class);
      assertThat(recorder.healthy()).isFalse();
      assertThat(recorder.problem()).contains("No space left on device");
      assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(AuditUnavailableException.class);
      sync.failing.set(false);
    }
  }
}
