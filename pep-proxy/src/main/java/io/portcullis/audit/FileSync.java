package io.portcullis.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;

/** How a segment file is made durable; a seam so tests can count and delay fsync calls. */
@FunctionalInterface
public interface FileSync {

  /** fdatasync: the file's data, and the metadata needed to read it back. */
  FileSync FDATASYNC = channel -> channel.force(false);

  /** Makes everything written to {@code channel} so far durable. */
  void force(FileChannel channel) throws IOException;
}
