package io.portcullis.ssh;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.portcullis.document.SftpOperation;
import io.portcullis.protocol.sftp.SftpClientMessage;
import io.portcullis.protocol.sftp.SftpClientMessages;
import io.portcullis.protocol.sftp.SftpEncoder;
import io.portcullis.protocol.sftp.SftpFrame;
import io.portcullis.protocol.sftp.SftpFrameDecoder;
import io.portcullis.protocol.sftp.SftpOperations;
import io.portcullis.protocol.sftp.SftpProtocolException;
import io.portcullis.protocol.sftp.SftpServerMessage;
import io.portcullis.protocol.sftp.SftpServerMessages;
import io.portcullis.protocol.sftp.SftpStatus;
import io.portcullis.protocol.sftp.SftpType;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inspection of one allowed sftp channel: every client request that names a path is decided
 * by the policy as {@code kind: "sftp"} before it reaches the target; a refused one is answered
 * with STATUS {@code SSH_FX_PERMISSION_DENIED} carrying the policy's reason, and never forwarded.
 * Requests on handles (READ, WRITE, FSTAT, FSETSTAT, READDIR, CLOSE, fsync, fstatvfs, copy-data)
 * are checked against the access the gateway saw granted when the handle was opened, without a
 * policy call, so file data streams at the speed of the two SSH legs.
 *
 * <p>The client side is read on its own thread, which blocks while a decision is pending: the
 * requests after it wait, so the target sees them in the order sent. Replies to the client come
 * from both threads, whole packets at a time under one lock, so a refusal never splits a reply.
 *
 * <p>Relative paths are resolved against the target account's home directory, which the gateway
 * asks the target itself ({@code REALPATH "."}, right after the client's INIT, answered before the
 * client sees VERSION and so before it can send anything that needs it).
 */
final class SftpRelay implements SshSubsystemRelay {

  private static final Logger log = LoggerFactory.getLogger(SftpRelay.class);

  /** Frames come from here: heap buffers, so they reach MINA's streams without another copy. */
  private static final ByteBufAllocator ALLOC = new PooledByteBufAllocator(false);

  /** The request id of the gateway's own REALPATH; the first reply with it is the gateway's. */
  static final long HOME_REQUEST_ID = 0xFFFFFFFFL;

  /** How long a request waits for the home directory before it is refused. */
  private static final long HOME_WAIT_S = 15;

  private final SftpDecider decider;
  private final SftpFrameDecoder fromClient;
  private final SftpFrameDecoder fromTarget;
  private final SftpGrants grants = new SftpGrants();
  private final Object clientLock = new Object();
  private final CountDownLatch homeKnown = new CountDownLatch(1);
  private final List<SftpFrame> clientFrames = new ArrayList<>();
  private final List<SftpFrame> targetFrames = new ArrayList<>();
  private volatile String home;
  private boolean initSeen;
  private boolean homeAsked;
  private boolean homeAnswered;
  private SftpFrame heldVersion;

  SftpRelay(SshSession session, long requestNo) {
    this(SftpDecider.of(session), SftpFrameDecoder.OPENSSH_MAX_LENGTH);
  }

  SftpRelay(SftpDecider decider, int maxLength) {
    this.decider = requireNonNull(decider, "decider");
    this.fromClient = new SftpFrameDecoder(maxLength, ALLOC);
    // Replies carry up to a READ's length of data beyond the client's limit; OpenSSH's server
    // caps them at its own packet limit, which is the same.
    this.fromTarget = new SftpFrameDecoder(maxLength + 1024, ALLOC);
  }

  @Override
  public void fromClient(byte[] data, int off, int len, OutputStream toTarget, OutputStream toClient)
      throws IOException {
    ByteBuf in = Unpooled.wrappedBuffer(data, off, len);
    try {
      synchronized (fromClient) {
        fromClient.decode(in, clientFrames);
      }
    } catch (SftpProtocolException e) {
      release(clientFrames);
      throw refuseStream("client", e);
    }
    try {
      boolean forwarded = false;
      for (int i = 0; i < clientFrames.size(); i++) {
        SftpFrame frame = clientFrames.get(i);
        if (forwardOrRefuse(frame, toTarget, toClient)) {
          forwarded = true;
        }
      }
      if (forwarded) {
        toTarget.flush();
      }
    } finally {
      release(clientFrames);
    }
  }

  /** Forwards one client packet if allowed, else answers it; true when it went to the target. */
  private boolean forwardOrRefuse(SftpFrame frame, OutputStream toTarget, OutputStream toClient)
      throws IOException {
    SftpClientMessage message;
    try {
      message = SftpClientMessages.decode(frame);
    } catch (SftpProtocolException e) {
      throw refuseStream("client", e);
    }
    if (message instanceof SftpClientMessage.Init) {
      if (initSeen) {
        throw refuseStream("client", new SftpProtocolException("SSH_FXP_INIT: a second one (expected: one)"));
      }
      initSeen = true;
      write(frame, toTarget);
      ByteBuf ask = SftpEncoder.realpath(ALLOC, HOME_REQUEST_ID, ".");
      try {
        toTarget.write(ask.array(), ask.arrayOffset() + ask.readerIndex(), ask.readableBytes());
      } finally {
        ask.release();
      }
      homeAsked = true;
      return true;
    }
    if (!initSeen) {
      throw refuseStream("client", new SftpProtocolException(
          "SFTP: a request before SSH_FXP_INIT (expected: INIT first)"));
    }
    long id = message.requestId();
    String refusal = switch (message) {
      case SftpClientMessage.Read r -> onHandle(r.handle(), "read", g -> g.read());
      case SftpClientMessage.Write w -> onHandle(w.handle(), "write", g -> g.write());
      case SftpClientMessage.HandleRequest h -> switch (h.type()) {
        case SftpType.FSETSTAT -> onHandle(h.handle(), "fsetstat", g -> g.write());
        case SftpType.READDIR -> onHandle(h.handle(), "readdir", g -> g.directory());
        case SftpType.CLOSE -> {
          String no = onHandle(h.handle(), "close", g -> true);
          if (no == null) {
            grants.closed(h.handle());
          }
          yield no;
        }
        default -> onHandle(h.handle(), "fstat", g -> true);
      };
      case SftpClientMessage.Extended e when e.known() != null && e.handle() != null
          && e.writeHandle() == null -> onHandle(e.handle(), e.name(), g -> true);
      case SftpClientMessage.Unknown u -> deniedLocally(
          new SftpOperation("extended", null, null, null, "packet type " + u.type()),
          "sftp: packet type " + u.type() + " is not supported by the gateway");
      default -> decide(message);
    };
    if (refusal != null) {
      reply(SftpEncoder.status(ALLOC, id, SftpStatus.PERMISSION_DENIED, refusal, "en"), toClient);
      if (decider.sessionEnded()) {
        // The client has the refusal; the channel ends, and the session with it.
        throw new IOException("the policy ended this session: " + refusal);
      }
      return false;
    }
    write(frame, toTarget);
    return true;
  }

  /** Asks the policy about an operation on a path; null when allowed, else the reason. */
  private String decide(SftpClientMessage message) throws IOException {
    String dir = awaitHome();
    if (dir == null) {
      return "sftp: the gateway does not know the target's home directory";
    }
    Optional<SftpOperation> operation;
    try {
      operation = SftpOperations.of(message, dir);
    } catch (SftpProtocolException e) {
      throw refuseStream("client", e);
    }
    if (operation.isEmpty()) {
      return "sftp: this request is not supported by the gateway";
    }
    if (grants.inFlight(message.requestId())) {
      return deniedLocally(operation.get(), "sftp: request id " + message.requestId()
          + " is already awaiting an answer to an open");
    }
    if (message instanceof SftpClientMessage.Extended e && e.writeHandle() != null) {
      // copy-data: reads one handle and writes another; both must have been granted so.
      String no = onHandle(e.handle(), e.name(), g -> g.read());
      if (no == null) {
        no = onHandle(e.writeHandle(), e.name(), g -> g.write());
      }
      if (no != null) {
        return no;
      }
    }
    String refused = decider.decide(operation.get());
    if (refused != null) {
      return refused;
    }
    SftpGrants.Grant grant = switch (message) {
      case SftpClientMessage.Open o -> new SftpGrants.Grant(o.read(), o.write(), false);
      case SftpClientMessage.PathRequest p when p.type() == SftpType.OPENDIR -> SftpGrants.Grant.DIRECTORY;
      default -> null;
    };
    if (grant != null && !grants.opening(message.requestId(), grant)) {
      return "sftp: too many open handles (at most " + SftpGrants.MAX_HANDLES + ")";
    }
    return null;
  }

  private String onHandle(String handle, String what, java.util.function.Predicate<SftpGrants.Grant> allows) {
    SftpGrants.Grant grant = grants.of(handle);
    if (grant == null) {
      return deniedLocally(new SftpOperation("extended", null, null, null, what),
          "sftp: " + what + " on a handle the gateway did not see opened");
    }
    if (!allows.test(grant)) {
      return deniedLocally(new SftpOperation("extended", null, null, null, what),
          "sftp: " + what + " on a handle opened for " + describe(grant));
    }
    return null;
  }

  private String deniedLocally(SftpOperation op, String reason) {
    decider.refusedLocally(op, reason);
    return reason;
  }

  private static String describe(SftpGrants.Grant grant) {
    if (grant.directory()) {
      return "a directory listing";
    }
    return grant.write() ? (grant.read() ? "read and write" : "write only") : "read only";
  }

  private String awaitHome() throws IOException {
    try {
      if (!homeKnown.await(HOME_WAIT_S, TimeUnit.SECONDS)) {
        return null;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the home directory", e);
    }
    return home;
  }

  @Override
  public void fromTarget(byte[] data, int off, int len, OutputStream toClient) throws IOException {
    ByteBuf in = Unpooled.wrappedBuffer(data, off, len);
    try {
      synchronized (fromTarget) {
        fromTarget.decode(in, targetFrames);
      }
    } catch (SftpProtocolException e) {
      release(targetFrames);
      throw refuseStream("target", e);
    }
    try {
      synchronized (clientLock) {
        for (SftpFrame frame : targetFrames) {
          relayReply(frame, toClient);
        }
        toClient.flush();
      }
    } finally {
      release(targetFrames);
    }
  }

  private void relayReply(SftpFrame frame, OutputStream toClient) throws IOException {
    int type = frame.type();
    if (type == SftpType.DATA || type == SftpType.ATTRS) {
      write(frame, toClient); // the bulk of a session: no decoding beyond the type
      return;
    }
    SftpServerMessage reply;
    try {
      reply = SftpServerMessages.decode(frame);
    } catch (SftpProtocolException e) {
      throw refuseStream("target", e);
    }
    switch (reply) {
      case SftpServerMessage.Version v -> {
        if (v.version() != 3) {
          // Later versions lay OPEN and RENAME out differently: the decoder would misread them.
          throw refuseStream("target", new SftpProtocolException(
              "SSH_FXP_VERSION: version " + v.version() + " (expected: 3)"));
        }
        if (homeAsked && !homeAnswered) {
          heldVersion = new SftpFrame(frame.frame().retainedDuplicate());
          return;
        }
      }
      case SftpServerMessage.Handle h -> grants.handle(h.id(), h.handle());
      case SftpServerMessage.Name n when n.id() == HOME_REQUEST_ID && !homeAnswered -> {
        homeFound(n.names().isEmpty() ? null : n.names().get(0), toClient);
        return;
      }
      case SftpServerMessage.Status s when s.id() == HOME_REQUEST_ID && !homeAnswered -> {
        homeFound(null, toClient);
        return;
      }
      default -> grants.answered(reply.requestId());
    }
    write(frame, toClient);
  }

  /** The answer to the gateway's REALPATH: releases the held VERSION and any waiting request. */
  private void homeFound(String path, OutputStream toClient) throws IOException {
    homeAnswered = true;
    if (path != null && path.startsWith("/")) {
      home = path;
    } else {
      log.warn("session {}: the target did not name its home directory; relative sftp paths are refused",
          decider.sessionId());
    }
    homeKnown.countDown();
    if (heldVersion != null) {
      try {
        write(heldVersion, toClient);
      } finally {
        heldVersion.release();
        heldVersion = null;
      }
    }
  }

  private void reply(ByteBuf status, OutputStream toClient) throws IOException {
    try {
      synchronized (clientLock) {
        toClient.write(status.array(), status.arrayOffset() + status.readerIndex(), status.readableBytes());
        toClient.flush();
      }
    } finally {
      status.release();
    }
  }

  private static void write(SftpFrame frame, OutputStream out) throws IOException {
    ByteBuf buf = frame.frame();
    if (buf.hasArray()) {
      out.write(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
    } else {
      byte[] copy = new byte[buf.readableBytes()];
      buf.getBytes(buf.readerIndex(), copy);
      out.write(copy);
    }
  }

  private IOException refuseStream(String side, SftpProtocolException e) {
    log.warn("session {}: sftp channel closed: malformed packet from the {}: {}", decider.sessionId(), side,
        e.getMessage());
    return new IOException("malformed sftp packet from the " + side + ": " + e.getMessage(), e);
  }

  private static void release(List<SftpFrame> frames) {
    for (SftpFrame frame : frames) {
      frame.release();
    }
    frames.clear();
  }

  @Override
  public void closed() {
    homeKnown.countDown();
    synchronized (clientLock) {
      if (heldVersion != null) {
        heldVersion.release();
        heldVersion = null;
      }
    }
    synchronized (fromClient) {
      fromClient.close();
    }
    synchronized (fromTarget) {
      fromTarget.close();
    }
  }
}
