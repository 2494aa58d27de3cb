package io.portcullis.pg;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * Result rows on their way to the client, gathered into buffers of about 16 KiB: one write per
 * batch instead of one per row, which is most of what relaying a row costs. Rows keep their order
 * with everything else because the server handler sends the batch before any other message.
 */
final class PgRowBatch {

  /** A batch is written once it holds this many bytes. */
  static final int BATCH_BYTES = 16 * 1024;
  /** A row larger than this is written on its own, not copied. */
  static final int COPY_MAX_BYTES = 1024;

  private final Channel client;
  private ByteBuf batch;

  PgRowBatch(Channel client) {
    this.client = client;
  }

  /** The batch to append rows to, allocated when needed. */
  ByteBuf buffer() {
    if (batch == null) {
      batch = client.alloc().buffer(BATCH_BYTES);
    }
    return batch;
  }

  /** Adds a whole row message; takes ownership of {@code row}. */
  void add(ByteBuf row) {
    if (row.readableBytes() > COPY_MAX_BYTES) {
      write();
      client.write(row, client.voidPromise());
      return;
    }
    buffer().writeBytes(row, row.readerIndex(), row.readableBytes());
    row.release();
    writeIfFull();
  }

  /** Writes the batch once it is full (after rows were appended through {@link #buffer}). */
  void writeIfFull() {
    if (batch != null && batch.readableBytes() >= BATCH_BYTES) {
      write();
    }
  }

  /** Writes the rows gathered so far, if any, ahead of what is written next. */
  void write() {
    if (batch == null) {
      return;
    }
    ByteBuf rows = batch;
    batch = null;
    if (rows.isReadable()) {
      client.write(rows, client.voidPromise());
    } else {
      rows.release();
    }
  }

  /** Drops the rows gathered so far: the session is ending. */
  void release() {
    if (batch != null) {
      batch.release();
      batch = null;
    }
  }
}
