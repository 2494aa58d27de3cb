package io.portcullis.policy;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OPA as a child process of the gateway: started on a loopback address with decision logging on
 * (so every answer carries a decision id), restarted with backoff if it dies, stopped with the
 * gateway.
 */
public final class OpaProcess implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OpaProcess.class);

  private final OpaSettings.ManagedOpa settings;
  private final List<String> command;
  private final Thread supervisor;
  private final Thread shutdownHook;
  private volatile Process process;
  private volatile boolean closed;

  private OpaProcess(OpaSettings.ManagedOpa settings) {
    this.settings = settings;
    this.command = command(settings);
    this.supervisor = Thread.ofPlatform().daemon().name("opa-supervisor").unstarted(this::supervise);
    this.shutdownHook = new Thread(this::stopProcess, "opa-stop");
  }

  /**
   * Starts OPA and waits until it answers its health check.
   *
   * @throws IOException when OPA cannot start or does not become healthy within 15 s
   */
  public static OpaProcess start(OpaSettings.ManagedOpa settings) throws IOException {
    // Something already listening there would pass our health check and answer our decisions.
    try (java.net.Socket probe = new java.net.Socket()) {
      probe.connect(settings.address().socketAddress(), 200);
      throw new IOException("opa.managed.addr " + settings.addr()
          + " is already in use; another process there would answer the gateway's decisions");
    } catch (java.net.ConnectException | java.net.SocketTimeoutException free) {
      // Nothing listens: the address is ours to use.
    }
    OpaProcess opa = new OpaProcess(settings);
    opa.launch();
    if (!opa.awaitHealthy(15_000)) {
      opa.close();
      throw new IOException("OPA did not become healthy within 15 s; see " + settings.logFile());
    }
    Runtime.getRuntime().addShutdownHook(opa.shutdownHook);
    opa.supervisor.start();
    return opa;
  }

  static List<String> command(OpaSettings.ManagedOpa settings) {
    // --disable-telemetry: OPA would otherwise contact an outside server at start.
    List<String> cmd = new ArrayList<>(List.of(settings.binary(), "run", "--server",
        "--disable-telemetry", "--addr", settings.addr(), "--log-level", "error",
        "--set", "decision_logs.console=true"));
    if (settings.bundle() != null) {
      cmd.add("--bundle");
      cmd.add(settings.bundle());
    } else {
      cmd.add(settings.policies());
    }
    return cmd;
  }

  private void launch() throws IOException {
    Path logFile = Path.of(settings.logFile());
    if (logFile.getParent() != null) {
      Files.createDirectories(logFile.getParent());
    }
    process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .start();
    log.info("started OPA (pid {}) on {}", process.pid(), settings.addr());
  }

  /** Restarts OPA whenever it exits, with backoff from 0.5 s to 5 s, until closed. */
  private void supervise() {
    long backoffMs = 500;
    while (!closed) {
      try {
        int code = process.waitFor();
        if (closed) {
          return;
        }
        log.warn("OPA exited with status {}; restarting in {} ms", code, backoffMs);
        Thread.sleep(backoffMs);
        if (closed) {
          return;
        }
        launch();
        backoffMs = awaitHealthy(10_000) ? 500 : Math.min(backoffMs * 2, 5_000);
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        log.error("OPA could not be restarted: {}", e.getMessage());
        backoffMs = Math.min(backoffMs * 2, 5_000);
        try {
          Thread.sleep(backoffMs);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  boolean awaitHealthy(long timeoutMs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    URI health = URI.create("http://" + settings.address() + "/health");
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        HttpURLConnection connection = (HttpURLConnection) health.toURL().openConnection();
        connection.setConnectTimeout(500);
        connection.setReadTimeout(500);
        int code = connection.getResponseCode();
        connection.disconnect();
        if (code == 200) {
          return true;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** The running OPA process (for tests that kill it). */
  public Process process() {
    return process;
  }

  private void stopProcess() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    supervisor.interrupt();
    stopProcess();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // Shutting down already, or the hook was never added.
    }
  }
}
