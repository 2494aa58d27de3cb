package io.portcullis.pg;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.protocol.pg.CopyOutResponse;
import io.portcullis.protocol.pg.ErrorResponse;
import io.portcullis.protocol.pg.ParameterStatus;
import io.portcullis.protocol.pg.PgFrame;
import io.portcullis.protocol.pg.RowDescription;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays the server's messages to the client: it rewrites the errors of denied statements into the
 * policy's error, masks result rows as the decision asked, tracks transaction status, and ends the
 * session if the server switches to a setting under which the gateway would misread SQL.
 *
 * <p>Which request a result belongs to follows from the order of responses: the session's queue
 * of {@link PgExpected} responses, filled as the client handler sends messages on. While the
 * catalog is asked which tables and columns a row description names, the server is not read and
 * the messages already received wait, in order.
 */
final class PgServerHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(PgServerHandler.class);
  /** Masked rows are written to the client in buffers of about this size, not one per row. */


  private final PgSession session;
  private final PgClientHandler clientHandler;
  private final ArrayDeque<PgFrame> held = new ArrayDeque<>();
  /** The masker of the result rows being relayed, or null when they pass as they are. */
  private PgResultMasker rows;
  /**
   * Rows not yet written to the client. Only consecutive DataRow and CopyData messages collect
   * here: the batch is written before any other message is handled, and at the end of each read.
   */
  private final PgRowBatch batch;

  PgServerHandler(PgSession session, PgClientHandler clientHandler) {
    this.session = session;
    this.clientHandler = clientHandler;
    this.batch = new PgRowBatch(session.client);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof PgFrame frame)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (session.catalogPending || !held.isEmpty()) {
      held.add(frame);
      return;
    }
    handle(frame);
  }

  private void handle(PgFrame frame) {
    if (frame.type() != 'D' && frame.type() != 'd') {
      batch.write(); // whatever this message makes the gateway write comes after the rows before it
    }
    switch (frame.type()) {
      case 'T' -> onRowDescription(frame);
      case 'n' -> onNoData(frame);
      case 'D' -> onDataRow(frame);
      case 'H' -> onCopyOut(frame);
      case 'd' -> onDataRow(frame);
      case 'C', 's', 'I' -> onResultEnd(frame);
      case 'Z' -> {
        session.onReadyForQuery(frame.payload().getByte(frame.payload().readerIndex()));
        endResults();
        if (session.expected.peek() instanceof PgExpected.QueryResults q && q.tally != null) {
          q.tally.record(session);
        }
        session.expected.popUntilSync(true);
        relay(frame);
      }
      case 'E' -> onError(frame);
      case 'S' -> onParameterStatus(frame);
      default -> relay(frame);
    }
  }

  private void onRowDescription(PgFrame frame) {
    PgExpected head = session.expected.peek();
    switch (head) {
      case PgExpected.Describe d -> {
        session.expected.poll();
        if (d.injected() && session.expected.peek() instanceof PgExpected.ExecuteResults e) {
          e.description = RowDescription.decode(frame.payload());
          e.described = true;
          frame.release();
          return;
        }
        relay(frame);
      }
      case PgExpected.QueryResults q when !q.rules.isEmpty() || capturing(q.tally) -> {
        RowDescription description = RowDescription.decode(frame.payload());
        if (!q.rules.isEmpty() && !startRows(q.rules, description, frame)) {
          return;
        }
        if (q.tally != null) {
          q.tally.columns(description);
        }
        relay(frame);
      }
      case null, default -> relay(frame);
    }
  }

  private void onNoData(PgFrame frame) {
    if (session.expected.peek() instanceof PgExpected.Describe d) {
      session.expected.poll();
      if (d.injected() && session.expected.peek() instanceof PgExpected.ExecuteResults e) {
        e.described = true;
        frame.release();
        return;
      }
    }
    relay(frame);
  }

  private void onDataRow(PgFrame frame) {
    if (rows == null && session.expected.peek() instanceof PgExpected.ExecuteResults e
        && !e.rules.isEmpty() && !e.planned) {
      if (!e.described || e.description == null) {
        // The rows of a masked portal came without the description the gateway asked for.
        failClosed(frame, "result rows arrived that the gateway could not match to a row description");
        return;
      }
      if (!startRows(e.rules, e.description, frame)) {
        return;
      }
      e.planned = true;
    }
    PgTally tally = tally();
    if (rows == null) {
      if (tally != null) {
        tally.row(frame.frame(), frame.type());
      }
      batch.add(frame.frame());
      return;
    }
    if (rows.batches() && !capturing(tally)) {
      maskIntoBatch(frame, tally);
      return;
    }
    ByteBuf out;
    try {
      out = rows.mask(frame, session.client.alloc());
    } catch (RuntimeException ex) {
      failClosed(null, "a result row could not be masked: " + ex.getMessage());
      return;
    }
    if (tally != null) {
      tally.row(out, frame.type());
    }
    batch.add(out);
  }

  /** The tally of the request whose response is arriving, or null. */
  private PgTally tally() {
    return switch (session.expected.peek()) {
      case PgExpected.QueryResults q -> q.tally;
      case PgExpected.ExecuteResults e -> e.tally;
      case null, default -> null;
    };
  }

  private static boolean capturing(PgTally tally) {
    return tally != null && tally.capturing();
  }

  /** Masks a DataRow into the batch; writes the batch once it is full. */
  private void maskIntoBatch(PgFrame frame, PgTally tally) {
    ByteBuf into = batch.buffer();
    int before = into.writerIndex();
    boolean changed;
    try {
      changed = rows.maskInto(frame, into);
    } catch (RuntimeException ex) {
      failClosed(frame, "a result row could not be masked: " + ex.getMessage());
      return;
    }
    if (!changed) {
      if (tally != null) {
        tally.row(frame.frame(), frame.type());
      }
      batch.add(frame.frame());
      return;
    }
    if (tally != null) {
      tally.sent(into.writerIndex() - before);
    }
    frame.release();
    batch.writeIfFull();
  }

  private void onCopyOut(PgFrame frame) {
    PgMaskRules rules = switch (session.expected.peek()) {
      case PgExpected.QueryResults q -> q.rules;
      case PgExpected.ExecuteResults e -> e.rules;
      case null, default -> PgMaskRules.NONE;
    };
    if (rules.isEmpty()) {
      relay(frame);
      return;
    }
    int statement = session.expected.peek() instanceof PgExpected.QueryResults q ? q.statement : 0;
    CopyOutResponse copy = CopyOutResponse.decode(frame.payload());
    PgResultMasker masker;
    try {
      masker = PgResultMasker.forCopy(rules, statement, copy, session);
    } catch (PgResultMasker.NeedsCatalog needs) {
      resolveThenResume(needs, frame);
      return;
    } catch (IllegalArgumentException | io.portcullis.mask.BinaryCopyNotMaskableException e) {
      failClosed(frame, e.getMessage());
      return;
    }
    rows = masker;
    relay(frame);
  }

  /** Sets up masking for the rows after {@code description}; false when it had to wait. */
  private boolean startRows(PgMaskRules rules, RowDescription description, PgFrame frame) {
    try {
      rows = PgResultMasker.forRows(rules, description, session);
      return true;
    } catch (PgResultMasker.NeedsCatalog needs) {
      resolveThenResume(needs, frame);
      return false;
    }
  }

  /** Asks the catalog, then handles {@code frame} again and the messages held meanwhile. */
  private void resolveThenResume(PgResultMasker.NeedsCatalog needs, PgFrame frame) {
    session.catalogPending = true;
    held.addFirst(frame);
    session.updateServerAutoRead();
    needs.load().whenComplete((ok, error) -> session.client.eventLoop().execute(() -> {
      session.catalogPending = false;
      if (error != null) {
        log.warn("session {}: closing: {}", session.info.id(), PgErrors.unwrap(error).getMessage());
        releaseHeld();
        failClosed(null, "the gateway could not look up which columns to mask");
        return;
      }
      PgFrame next;
      while (!session.catalogPending && (next = held.poll()) != null) {
        handle(next);
      }
      batch.write();
      session.client.flush();
      session.updateServerAutoRead();
    }));
  }

  private void onResultEnd(PgFrame frame) {
    PgExpected head = session.expected.peek();
    if (rows != null && rows.masked() > 0 && rows.rules().notice()) {
      ByteBuf notice = session.client.alloc().buffer();
      rows.notice().encode(notice);
      session.client.write(notice, session.client.voidPromise());
    }
    PgTally tally = tally();
    endResults();
    if (tally != null && frame.type() == 'C') {
      tally.completed(io.portcullis.protocol.pg.CommandComplete.decode(frame.payload()));
    }
    switch (head) {
      case PgExpected.QueryResults q -> q.statement++;
      case PgExpected.ExecuteResults e -> {
        session.expected.poll();
        if (e.tally != null) {
          e.tally.record(session);
        }
      }
      case null, default -> { }
    }
    relay(frame);
  }

  private void endResults() {
    if (rows != null) {
      PgTally tally = tally();
      if (tally != null) {
        tally.masked(rows.masked());
      }
      rows = null;
    }
  }

  private void onError(PgFrame frame) {
    endResults();
    ErrorResponse error = ErrorResponse.decode(frame.payload());
    PgTally tally = tally();
    if (tally != null) {
      tally.error(error.field('M'));
    }
    if (!(session.expected.peek() instanceof PgExpected.QueryResults)) {
      if (session.expected.peek() instanceof PgExpected.ExecuteResults && tally != null) {
        tally.record(session);
      }
      // In the extended protocol the server skips everything up to the next Sync.
      session.expected.popUntilSync(false);
    }
    if (session.poisons.isEmpty()) {
      relay(frame);
      return;
    }
    PgSession.Poison poison = session.takePoison(error.field('M'));
    if (poison == null) {
      relay(frame);
      return;
    }
    frame.release();
    ByteBuf out = session.client.alloc().buffer();
    PgErrors.denial(poison.verdict()).encode(out);
    session.client.write(out, session.client.voidPromise());
  }

  private void onParameterStatus(PgFrame frame) {
    ParameterStatus status = ParameterStatus.decode(frame.payload());
    String unsafe = PgSafeSettings.violation(status.name(), status.value());
    if (unsafe != null) {
      frame.release();
      session.endReason = "unsafe_setting";
      log.warn("session {}: closing: {}", session.info.id(), unsafe);
      PgErrors.closeWithFatal(session.client, PgErrors.FEATURE_NOT_SUPPORTED, unsafe);
      session.server.close();
      return;
    }
    relay(frame);
  }

  /** Ends the session rather than let rows through unmasked. */
  private void failClosed(PgFrame frame, String why) {
    if (frame != null) {
      frame.release();
    }
    batch.release();
    releaseHeld();
    session.endReason = "masking_failed";
    log.warn("session {}: closing: {}", session.info.id(), why);
    PgErrors.closeWithFatal(session.client, PgErrors.INTERNAL_ERROR, "portcullis: " + why
        + "; the session is closed so that no unmasked value leaves the gateway");
    session.server.close();
  }

  private void releaseHeld() {
    PgFrame frame;
    while ((frame = held.poll()) != null) {
      frame.release();
    }
  }

  private void relay(PgFrame frame) {
    ByteBuf bytes = frame.frame().retainedDuplicate();
    frame.release();
    session.client.write(bytes, session.client.voidPromise());
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    batch.write();
    session.client.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // Whether the client may send more also depends on pending decisions: the client handler knows.
    clientHandler.updateAutoRead();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    batch.release();
    releaseHeld();
    // The server ended the session (it has usually sent a FATAL error already): let the client go.
    if (session.client.isActive()) {
      session.endReason = "server_closed";
      log.info("session {}: target {} closed the connection", session.info.id(), session.target.name());
      session.client.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    session.endReason = "target_connection_failed";
    log.warn("session {}: closing: error on the connection to target {}: {}",
        session.info.id(), session.target.name(), cause.toString());
    PgErrors.closeWithFatal(session.client, PgErrors.CONNECTION_FAILURE,
        "the connection to target " + session.target.name() + " failed");
    ctx.close();
  }
}
