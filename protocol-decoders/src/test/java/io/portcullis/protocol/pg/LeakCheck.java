package io.portcullis.protocol.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension that fails a test class if Netty reported a ByteBuf leak while it ran.
 *
 * <p>Paranoid leak detection only logs, and only when a leaked buffer has been garbage collected
 * and a later allocation looks at the queue; so after the class this forces a few collections and
 * tracked allocations, then fails on any {@code LEAK:} record it saw.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback {

  /** Held strongly: java.util.logging keeps loggers weakly, and would drop our handler with it. */
  private static final Logger DETECTOR_LOG = Logger.getLogger(ResourceLeakDetector.class.getName());

  private static final List<String> LEAKS = new ArrayList<>();

  static {
    DETECTOR_LOG.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            String message = record.getMessage();
            if (message != null && message.contains("LEAK:")) {
              synchronized (LEAKS) {
                LEAKS.add(message);
              }
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // The level is read on every allocation, so this holds even where the property was not set.
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    assertThat(InternalLoggerFactory.getDefaultFactory())
        .as("Netty must log through java.util.logging for LeakCheck to see its reports")
        .isInstanceOf(JdkLoggerFactory.class);
    assertThat(DETECTOR_LOG.isLoggable(Level.SEVERE)).isTrue();
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    assertThat(collect()).as("ByteBuf leaks reported by Netty").isEmpty();
  }

  /** Forces pending leak reports out and returns (and forgets) those seen so far. */
  public static List<String> collect() throws InterruptedException {
    // Bounded: a few rounds are enough for the reference handler to enqueue collected buffers.
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(10);
      PooledByteBufAllocator.DEFAULT.heapBuffer(1).release();
    }
    synchronized (LEAKS) {
      List<String> seen = List.copyOf(LEAKS);
      LEAKS.clear();
      return seen;
    }
  }
}
