package io.portcullis.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * {@code checkpoint.json}: the latest checkpoint record's line, replaced atomically after each
 * checkpoint, so that a log cut after its last checkpoint still disagrees with it.
 */
public final class CheckpointHead {

  /** The file name inside the audit directory. */
  public static final String FILE = "checkpoint.json";

  private CheckpointHead() {}

  /** Replaces the head with {@code line}, durably (write, fsync, rename, fsync directory). */
  static void write(Path dir, String line, FileSync sync) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(FILE + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      sync.force(ch);
    }
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(dir);
  }

  /** The head's line, or null when there is none. */
  public static String read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    return Files.exists(file) ? Files.readString(file).strip() : null;
  }

  /** Makes a directory's entries (a new or renamed file) durable. */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
