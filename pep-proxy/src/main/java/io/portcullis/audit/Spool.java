package io.portcullis.audit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL store's local spool: segment files holding records the database has not
 * confirmed yet, oldest first, bounded in total size. Callers serialise access (one lock).
 * Once a batch is refused for lack of room the spool stays full, refusing even records that
 * would still fit, until replay has taken it down to half its limit: otherwise small records
 * (a checkpoint, a session's end) would slip in after each refusal and the gateway would flap
 * between refusing and accepting new work while the database is still down.
 */
final class Spool implements AutoCloseable {

  private final Path dir;
  private final long maxBytes;
  private final SegmentWriter writer;
  private volatile long bytes;
  private volatile boolean full;
  /** Where replay goes on: a segment file and a byte offset in it. */
  private Path cursorFile;
  private long cursorOffset;
  private long pendingBytes;

  Spool(Path dir, long segmentBytes, long maxBytes, FileSync sync) throws IOException {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.writer = new SegmentWriter(dir, segmentBytes, sync);
    this.bytes = writer.totalBytes();
    this.full = bytes >= maxBytes;
  }

  /** Whether nothing waits for replay. */
  boolean isEmpty() throws IOException {
    return SegmentFiles.list(dir).isEmpty();
  }

  /** The last spooled record; meaningful only when not empty. */
  Chain.Head head() {
    return writer.head();
  }

  /** Spools a batch durably, or refuses it when the spool would exceed its limit. */
  void append(List<Chain.Sealed> batch) throws IOException {
    long size = 0;
    for (Chain.Sealed sealed : batch) {
      size += sealed.line().getBytes(StandardCharsets.UTF_8).length + 1;
    }
    if (full || bytes + size > maxBytes) {
      full = true;
      throw new AuditUnavailableException("audit spool full: " + (bytes + size) + " bytes (expected: <= "
          + maxBytes + ", audit.spool_max_bytes)");
    }
    writer.write(batch);
    bytes += size;
  }

  /** Why the spool refuses work, or null. */
  String problem() {
    return full ? "audit spool full: " + bytes + " bytes spooled (expected: <= " + maxBytes
        + ", audit.spool_max_bytes); refusing until the audit database has taken half of it" : null;
  }

  /**
   * Up to {@code max} spooled lines after the replay cursor, oldest first, all from one segment;
   * {@link #confirm} moves the cursor past them once they are in the database.
   */
  List<String> next(int max) throws IOException {
    List<Path> files = SegmentFiles.list(dir);
    if (files.isEmpty()) {
      return List.of();
    }
    if (cursorFile == null || !files.contains(cursorFile)) {
      cursorFile = files.get(0);
      cursorOffset = 0;
    }
    long end = endOf(cursorFile);
    pendingBytes = 0;
    List<String> out = new ArrayList<>();
    if (end > cursorOffset) {
      byte[] rest = new byte[Math.toIntExact(end - cursorOffset)];
      try (RandomAccessFile in = new RandomAccessFile(cursorFile.toFile(), "r")) {
        in.seek(cursorOffset);
        in.readFully(rest);
      }
      int from = 0;
      for (int i = 0; i < rest.length && out.size() < max; i++) {
        if (rest[i] == '\n') {
          out.add(new String(rest, from, i - from, StandardCharsets.UTF_8));
          from = i + 1;
        }
      }
      pendingBytes = from;
    }
    if (out.isEmpty() && finished(cursorFile, cursorOffset)) {
      delete(cursorFile);
      cursorFile = null;
      return files.size() > 1 ? next(max) : List.of();
    }
    return out;
  }

  /** Confirms the lines the last {@link #next} returned: they are in the database. */
  void confirm() throws IOException {
    if (cursorFile == null) {
      return;
    }
    cursorOffset += pendingBytes;
    pendingBytes = 0;
    if (finished(cursorFile, cursorOffset)) {
      delete(cursorFile);
      cursorFile = null;
    }
  }

  /** Whether every spooled record is in the database. */
  boolean drained() throws IOException {
    List<Path> files = SegmentFiles.list(dir);
    if (files.isEmpty()) {
      return true;
    }
    return files.size() == 1 && files.get(0).equals(cursorFile) && cursorOffset >= endOf(cursorFile);
  }

  private boolean finished(Path file, long offset) throws IOException {
    return !file.equals(writer.current()) && offset >= Files.size(file);
  }

  private long endOf(Path file) throws IOException {
    return file.equals(writer.current()) ? writer.position() : Files.size(file);
  }

  private void delete(Path file) throws IOException {
    bytes -= Files.size(file);
    Files.delete(file);
    if (bytes <= maxBytes / 2) {
      full = false;
    }
  }

  /** Removes every spooled file once all of it is in the database. */
  void clear() throws IOException {
    writer.closeSegment();
    for (Path file : SegmentFiles.list(dir)) {
      Files.delete(file);
    }
    CheckpointHead.syncDirectory(dir);
    bytes = 0;
    full = false;
    cursorFile = null;
    cursorOffset = 0;
    writer.reset();
  }

  /** Bytes spooled and not yet taken by the database. */
  long bytes() {
    return bytes;
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
