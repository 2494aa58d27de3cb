package io.portcullis.approval;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded approval store: one JSON line per {@link ApprovalEvent} in {@code
 * <data_dir>/approvals/approvals.jsonl}, appended and fsynced per event, replayed by {@link
 * #load}.
 *
 * <p>The file and its directory are created on the first event, owner-readable only where the
 * file system supports POSIX permissions (request documents may hold literal values). A torn last
 * line (a crash mid-write) is dropped with a warning and cut off, so the next event starts on a
 * line of its own; an unreadable line elsewhere is skipped with a warning.
 */
public final class FileApprovalStore implements ApprovalStore {

  private static final Logger log = LoggerFactory.getLogger(FileApprovalStore.class);
  private static final ObjectMapper JSON = Json.mapper();

  private final Path file;
  private FileChannel channel;

  /** A store in {@code file}; nothing is created until the first event. */
  public FileApprovalStore(Path file) {
    this.file = requireNonNull(file, "file");
  }

  /** The store under a gateway's data directory: {@code <dataDir>/approvals/approvals.jsonl}. */
  public static FileApprovalStore inDataDir(Path dataDir) {
    return new FileApprovalStore(dataDir.resolve("approvals").resolve("approvals.jsonl"));
  }

  /** The file this store writes. */
  public Path file() {
    return file;
  }

  @Override
  public synchronized Collection<ApprovalRequest> load() throws IOException {
    ApprovalHistory history = new ApprovalHistory();
    if (!Files.exists(file)) {
      return history.requests();
    }
    byte[] bytes = Files.readAllBytes(file);
    int lastNewline = lastIndexOf(bytes, (byte) '\n');
    if (lastNewline + 1 < bytes.length) {
      log.warn("{}: ignoring a torn last line of {} bytes (an interrupted write)",
          file, bytes.length - lastNewline - 1);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.truncate(lastNewline + 1);
        ch.force(true);
      }
    }
    String text = new String(bytes, 0, lastNewline + 1, StandardCharsets.UTF_8);
    int lineNumber = 0;
    for (String line : text.split("\n")) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      ApprovalEvent event;
      try {
        event = JSON.readValue(line, ApprovalEvent.class);
      } catch (IOException | IllegalArgumentException e) {
        log.warn("{}:{}: skipping an unreadable event: {}", file, lineNumber, e.getMessage());
        continue;
      }
      history.apply(event, file + ":" + lineNumber);
    }
    return history.requests();
  }

  @Override
  public synchronized void append(ApprovalEvent event) throws IOException {
    requireNonNull(event, "event");
    byte[] line = (JSON.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8);
    FileChannel ch = open();
    ByteBuffer buffer = ByteBuffer.wrap(line);
    while (buffer.hasRemaining()) {
      ch.write(buffer);
    }
    ch.force(false);
  }

  private FileChannel open() throws IOException {
    if (channel != null) {
      return channel;
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    boolean created = !Files.exists(file);
    if (created && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    }
    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    if (created) {
      syncDirectory(dir); // the new file's name must survive a crash as well as its bytes
    }
    return channel;
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      log.debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }

  private static int lastIndexOf(byte[] bytes, byte b) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }
}
