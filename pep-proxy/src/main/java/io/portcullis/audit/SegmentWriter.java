package io.portcullis.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends sealed records to segment files in one directory, one fsync per batch, rotating to a
 * new file once the current one reaches its size limit. Writes are positional: after a failed
 * write, the next one overwrites whatever the failure left behind.
 */
final class SegmentWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SegmentWriter.class);

  private final Path dir;
  private final long segmentBytes;
  private final FileSync sync;
  private FileChannel channel;
  private Path current;
  private long position;
  private Chain.Head head = Chain.Head.empty();
  /** Whether the current segment holds bytes written without an fsync since. */
  private boolean unsynced;

  SegmentWriter(Path dir, long segmentBytes, FileSync sync) throws IOException {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.sync = sync;
    // Segments hold every statement and recorded response: readable by the gateway's user only.
    Files.createDirectories(dir, ownerOnly(dir.getFileSystem(), "rwx------"));
    recover();
  }

  /** Finds the last complete record of the newest segment and cuts off a torn last line. */
  private void recover() throws IOException {
    List<Path> segments = SegmentFiles.list(dir);
    if (segments.isEmpty()) {
      return;
    }
    Path last = segments.get(segments.size() - 1);
    if (segments.size() > 1 && Files.size(last) == 0) {
      // Created by a rotation whose first write failed: it never held a record.
      Files.delete(last);
      recover();
      return;
    }
    long[] end = {0};
    JsonNode[] lastRecord = {null};
    boolean[] torn = {false};
    SegmentFiles.read(last, line -> {
      if (!line.complete()) {
        torn[0] = true;
        return;
      }
      end[0] += line.text().getBytes(StandardCharsets.UTF_8).length + 1;
      try {
        lastRecord[0] = Json.mapper().readTree(line.text());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    current = last;
    channel = FileChannel.open(last, StandardOpenOption.WRITE);
    position = end[0];
    if (torn[0]) {
      log.warn("audit segment {}: cutting a torn last line at byte {} (it was never acknowledged)", last, position);
      channel.truncate(position);
      sync.force(channel);
    }
    if (lastRecord[0] != null) {
      head = new Chain.Head(lastRecord[0].path("seq").asLong(), lastRecord[0].path("hash").asText());
    }
  }

  /** The last record written, as recovered at start or after the latest write. */
  Chain.Head head() {
    return head;
  }

  /** Whether there is no segment at all. */
  boolean isEmpty() throws IOException {
    return SegmentFiles.list(dir).isEmpty();
  }

  /** Appends {@code batch} and fsyncs once. */
  void write(List<Chain.Sealed> batch) throws IOException {
    write(batch, true);
  }

  /**
   * Appends {@code batch}, and fsyncs once when {@code force}; otherwise the next forced write,
   * {@link #sync}, rotation or close makes it durable (an fsync covers the whole file).
   */
  void write(List<Chain.Sealed> batch, boolean force) throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    if (channel == null || position >= segmentBytes) {
      rotate(batch.get(0).record().seq());
    }
    StringBuilder text = new StringBuilder(batch.size() * 512);
    for (Chain.Sealed sealed : batch) {
      text.append(sealed.line()).append('\n');
    }
    ByteBuffer buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
    if (channel.size() > position) {
      // A failed earlier write left bytes that were never acknowledged.
      channel.truncate(position);
    }
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
    if (force) {
      sync.force(channel);
      unsynced = false;
    } else {
      unsynced = true;
    }
    position = at;
    AuditRecord last = batch.get(batch.size() - 1).record();
    head = new Chain.Head(last.seq(), last.hash());
  }

  /** Fsyncs what was written without one; true when there was something to do. */
  boolean sync() throws IOException {
    if (!unsynced || channel == null) {
      return false;
    }
    sync.force(channel);
    unsynced = false;
    return true;
  }

  private void rotate(long firstSeq) throws IOException {
    // The old segment's deferred records become durable before the chain goes on elsewhere.
    sync();
    Path next = dir.resolve(SegmentFiles.name(firstSeq));
    FileChannel opened = FileChannel.open(next, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
        ownerOnly(next.getFileSystem(), "rw-------"));
    try {
      // A file left by a failed earlier attempt at this same seq holds nothing acknowledged.
      opened.truncate(0);
      CheckpointHead.syncDirectory(dir);
    } catch (IOException e) {
      opened.close();
      throw e;
    }
    if (channel != null) {
      channel.close();
    }
    channel = opened;
    current = next;
    position = 0;
  }

  /** {@code permissions} as a creation attribute where the file system has POSIX permissions. */
  private static FileAttribute<?>[] ownerOnly(FileSystem fs, String permissions) {
    return fs.supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
        : new FileAttribute<?>[0];
  }

  /** The current segment file, or null before the first write. */
  Path current() {
    return current;
  }

  /** Bytes of the current segment written (durable once forced; the spool always forces). */
  long position() {
    return position;
  }

  /** Forgets the current segment after its files were removed; the next write starts a new one. */
  void reset() throws IOException {
    closeSegment();
    current = null;
    position = 0;
  }

  /** Closes the current segment and starts a new one with the next write. */
  void closeSegment() throws IOException {
    if (channel != null) {
      try {
        sync();
      } finally {
        channel.close();
        channel = null;
        unsynced = false;
      }
    }
  }

  /** Bytes in all segments of the directory. */
  long totalBytes() throws IOException {
    long total = 0;
    for (Path segment : SegmentFiles.list(dir)) {
      total += Files.size(segment);
    }
    return total;
  }

  @Override
  public void close() throws IOException {
    closeSegment();
  }
}
