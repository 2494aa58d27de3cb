package io.portcullis.policy;

import io.portcullis.document.RequestDocument;
import io.portcullis.json.Json;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks OPA over HTTP ({@code POST /v1/data/portcullis/decision}) on pooled keep-alive
 * connections, and checks OPA's health and policy revision once a second.
 */
public final class OpaPolicyClient implements PolicyClient {

  private static final Logger log = LoggerFactory.getLogger(OpaPolicyClient.class);
  private static final MediaType JSON = MediaType.get("application/json");
  private static final byte[] EMPTY_INPUT = "{\"input\":{}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private final String baseUrl;
  private final String decisionUrl;
  private final int timeoutMs;
  private final OkHttpClient http;
  private final ScheduledExecutorService poller;
  /** Apart from the poller, whose health checks block for up to the timeout. */
  private final ScheduledThreadPoolExecutor deadlines;
  private volatile boolean healthy;
  private volatile String revision;

  public OpaPolicyClient(String baseUrl, int timeoutMs) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.decisionUrl = this.baseUrl + "/v1/data/portcullis/decision?provenance=true";
    this.timeoutMs = timeoutMs;
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(256);
    dispatcher.setMaxRequestsPerHost(256);
    this.http = new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(64, 5, TimeUnit.MINUTES))
        .callTimeout(Duration.ofMillis(timeoutMs))
        .connectTimeout(Duration.ofMillis(timeoutMs))
        .retryOnConnectionFailure(false)
        .build();
    this.poller = Executors.newSingleThreadScheduledExecutor(
        r -> Thread.ofPlatform().daemon().name("opa-health").unstarted(r));
    this.deadlines = new ScheduledThreadPoolExecutor(1,
        r -> Thread.ofPlatform().daemon().name("opa-deadline").unstarted(r));
    deadlines.setRemoveOnCancelPolicy(true);
    poller.scheduleWithFixedDelay(this::checkHealth, 0, 1, TimeUnit.SECONDS);
  }

  @Override
  public CompletableFuture<PolicyVerdict> decide(RequestDocument input, CacheKey key) {
    long start = System.nanoTime();
    CompletableFuture<PolicyVerdict> future = new CompletableFuture<>();
    byte[] body;
    try {
      body = Json.mapper().writeValueAsBytes(Map.of("input", input));
    } catch (IOException e) {
      future.complete(PolicyVerdict.failure(
          "policy decision unavailable: the request document could not be serialised", 0));
      return future;
    }
    Request request = new Request.Builder()
        .url(decisionUrl)
        .header("Accept-Encoding", "identity") // loopback: compression only costs time
        .post(RequestBody.create(body, JSON))
        .build();
    Call call = http.newCall(request);
    // OkHttp starts a call's timeout only when its dispatcher runs it (at most 256 at once), so a
    // slow OPA would queue the rest without bound: the deadline counts from the request instead.
    ScheduledFuture<?> deadline = deadlines.schedule(() -> {
      if (future.complete(PolicyVerdict.failure("policy decision unavailable: OPA did not answer within "
          + timeoutMs + " ms", System.nanoTime() - start))) {
        call.cancel();
      }
    }, timeoutMs, TimeUnit.MILLISECONDS);
    future.whenComplete((v, e) -> deadline.cancel(false));
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        healthy = false;
        future.complete(PolicyVerdict.failure("policy decision unavailable: " + describe(e),
            System.nanoTime() - start));
      }

      @Override
      public void onResponse(Call call, Response response) {
        try (response) {
          if (response.code() != 200) {
            future.complete(PolicyVerdict.failure("policy decision unavailable: OPA answered HTTP "
                + response.code(), System.nanoTime() - start));
            return;
          }
          DecisionParser.Answer answer = DecisionParser.parse(response.body().bytes());
          if (answer.revision() != null) {
            revision = answer.revision();
          }
          future.complete(new PolicyVerdict(answer.decision(), answer.decisionId(), answer.revision(),
              PolicyVerdict.Source.OPA, System.nanoTime() - start));
        } catch (DecisionParser.BadAnswer e) {
          future.complete(PolicyVerdict.failure("policy decision unavailable: " + e.getMessage(),
              System.nanoTime() - start));
        } catch (IOException e) {
          future.complete(PolicyVerdict.failure("policy decision unavailable: " + describe(e),
              System.nanoTime() - start));
        }
      }
    });
    return future;
  }

  private String describe(IOException e) {
    if (e instanceof InterruptedIOException) {
      return "OPA did not answer within " + timeoutMs + " ms";
    }
    if (e instanceof ConnectException) {
      return "OPA unreachable at " + baseUrl + " (connection refused)";
    }
    return "OPA unreachable at " + baseUrl + " (" + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
  }

  /** One cheap query with provenance: tells both health and the current revision. */
  private void checkHealth() {
    Request request = new Request.Builder()
        .url(baseUrl + "/v1/data/portcullis/decision_revision_probe?provenance=true")
        .header("Accept-Encoding", "identity")
        .post(RequestBody.create(EMPTY_INPUT, JSON))
        .build();
    boolean wasHealthy = healthy;
    try (Response response = http.newCall(request).execute()) {
      healthy = response.code() == 200;
      if (healthy) {
        String r = DecisionParser.revision(Json.mapper().readTree(response.body().bytes()).get("provenance"));
        revision = r;
      }
    } catch (IOException | RuntimeException e) {
      healthy = false;
    }
    if (wasHealthy != healthy) {
      log.info("OPA at {} is {}", baseUrl, healthy ? "healthy" : "unreachable: requests are denied");
    }
  }

  @Override
  public boolean healthy() {
    return healthy;
  }

  @Override
  public String revision() {
    return revision;
  }

  @Override
  public void close() {
    poller.shutdownNow();
    deadlines.shutdownNow();
    // A health check or decision still on the wire would keep its connection open past close.
    http.dispatcher().cancelAll();
    try {
      poller.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
