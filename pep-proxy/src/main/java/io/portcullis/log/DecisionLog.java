package io.portcullis.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.portcullis.json.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision log: one JSON line per decision, written by its own thread so that event loops
 * never serialise or block on I/O. When the queue is full, {@link #record} waits rather than drop
 * a line.
 */
public final class DecisionLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DecisionLog.class);
  private static final int QUEUE = 65_536;

  private final BlockingQueue<DecisionLine> queue = new ArrayBlockingQueue<>(QUEUE);
  private final Writer writer;
  private final Thread thread;
  private volatile boolean closed;

  private DecisionLog(Writer writer) {
    this.writer = writer;
    this.thread = Thread.ofPlatform().daemon().name("decision-log").start(this::run);
  }

  /** Opens a decision log appending to {@code file}, or writing to standard output when null. */
  public static DecisionLog open(String file) {
    try {
      if (file == null) {
        return new DecisionLog(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
      }
      Path path = Path.of(file);
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      return new DecisionLog(Files.newBufferedWriter(path, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open decision log " + file, e);
    }
  }

  /** Queues one line. */
  public void record(DecisionLine line) {
    if (closed) {
      return;
    }
    try {
      queue.put(line);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<DecisionLine> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        DecisionLine first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 1024);
        for (DecisionLine line : batch) {
          writer.write(Json.mapper().writeValueAsString(line));
          writer.write('\n');
        }
        writer.flush();
      } catch (JsonProcessingException e) {
        log.error("decision log line not serialisable: {}", e.getMessage());
      } catch (IOException e) {
        log.error("decision log write failed: {}", e.getMessage());
      } catch (InterruptedException e) {
        return;
      } finally {
        batch.clear();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      thread.join(5_000);
      writer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      log.error("decision log flush failed: {}", e.getMessage());
    }
  }
}
