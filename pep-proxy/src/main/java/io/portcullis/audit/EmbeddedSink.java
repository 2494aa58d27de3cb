package io.portcullis.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The embedded store: segment files under {@code <data_dir>/audit}, each batch fsynced. */
final class EmbeddedSink implements AuditSink {

  private final SegmentWriter segments;

  EmbeddedSink(Path dir, long segmentBytes, FileSync sync) throws IOException {
    this.segments = new SegmentWriter(dir, segmentBytes, sync);
  }

  @Override
  public Chain.Head head() {
    return segments.head();
  }

  @Override
  public void write(List<Chain.Sealed> batch) throws IOException {
    segments.write(batch);
  }

  @Override
  public void writeDeferred(List<Chain.Sealed> batch) throws IOException {
    segments.write(batch, false);
  }

  @Override
  public boolean sync() throws IOException {
    return segments.sync();
  }

  @Override
  public void close() throws IOException {
    segments.close();
  }
}
