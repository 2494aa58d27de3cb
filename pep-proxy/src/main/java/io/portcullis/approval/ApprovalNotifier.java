package io.portcullis.approval;

import static java.util.Objects.requireNonNull;

import io.portcullis.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts approval events, and the alerts policies raise, to the configured webhooks, asynchronously: up to {@link #ATTEMPTS}
 * attempts per webhook with doubling backoff on network errors, 429 and 5xx. A failure is logged
 * in one line naming the webhook by scheme and host only, and never affects the approval.
 */
public final class ApprovalNotifier implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ApprovalNotifier.class);
  private static final MediaType JSON = MediaType.get("application/json");

  /** Attempts per event and webhook. */
  static final int ATTEMPTS = 3;

  private final List<Webhook> webhooks;
  private final ApprovalLinks links;
  private final Duration backoff;
  private final OkHttpClient http;
  private final ScheduledExecutorService retries;

  /** A notifier with a 1 s first backoff. */
  public ApprovalNotifier(List<Webhook> webhooks, ApprovalLinks links) {
    this(webhooks, links, Duration.ofSeconds(1));
  }

  ApprovalNotifier(List<Webhook> webhooks, ApprovalLinks links, Duration backoff) {
    this.webhooks = List.copyOf(requireNonNull(webhooks, "webhooks"));
    this.links = requireNonNull(links, "links");
    this.backoff = requireNonNull(backoff, "backoff");
    this.http = new OkHttpClient.Builder()
        .callTimeout(Duration.ofSeconds(10))
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(false) // a redirect could carry the event somewhere it was not sent
        .build();
    this.retries = Executors.newSingleThreadScheduledExecutor(
        r -> Thread.ofPlatform().daemon().name("approval-webhooks").unstarted(r));
  }

  /** A notifier that posts nowhere. */
  public static ApprovalNotifier none() {
    return new ApprovalNotifier(List.of(), new ApprovalLinks(null));
  }

  /** The links put into events. */
  public ApprovalLinks links() {
    return links;
  }

  /**
   * Announces the request in its current state to every webhook.
   *
   * @return completes (never exceptionally) once every webhook took the event or was given up on
   */
  public CompletableFuture<Void> announce(ApprovalRequest request) {
    requireNonNull(request, "request");
    return post(request.id(), hook -> hook.slack()
        ? WebhookPayloads.slack(request, links)
        : WebhookPayloads.event(request, links));
  }

  /**
   * Announces an alert to every webhook.
   *
   * @return completes (never exceptionally) once every webhook took it or was given up on
   */
  public CompletableFuture<Void> alert(AlertNotice alert) {
    requireNonNull(alert, "alert");
    String numbers = alert.stats() == null ? null : Json.mapper().valueToTree(alert.stats()).toString();
    return post(alert.alert() + " " + alert.sessionId() + "#" + alert.requestNo(), hook -> hook.slack()
        ? WebhookPayloads.slack(alert, numbers)
        : WebhookPayloads.alert(alert));
  }

  /** Posts the body each webhook takes; {@code id} names the event in log lines. */
  private CompletableFuture<Void> post(String id, java.util.function.Function<Webhook, Object> payload) {
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    for (Webhook hook : webhooks) {
      byte[] body;
      try {
        body = Json.mapper().writeValueAsBytes(payload.apply(hook));
      } catch (IOException e) {
        log.warn("webhook {} ({}) skipped for {}: {}", hook.safeName(), hook.format(), id, e.toString());
        continue;
      }
      CompletableFuture<Void> done = new CompletableFuture<>();
      send(hook, id, body, 1, done);
      sent.add(done);
    }
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
  }

  private void send(Webhook hook, String id, byte[] body, int attempt, CompletableFuture<Void> done) {
    Request request = new Request.Builder()
        .url(hook.url())
        .header("User-Agent", "portcullis")
        .post(RequestBody.create(body, JSON))
        .build();
    http.newCall(request).enqueue(new Callback() {
      @Override
      public void onResponse(Call call, Response response) {
        try (response) {
          int code = response.code();
          if (code >= 200 && code < 300) {
            done.complete(null);
          } else if (code == 429 || code >= 500) {
            retryOrGiveUp(hook, id, body, attempt, done, "HTTP " + code);
          } else {
            giveUp(hook, id, attempt, done, "HTTP " + code);
          }
        }
      }

      @Override
      public void onFailure(Call call, IOException e) {
        retryOrGiveUp(hook, id, body, attempt, done, e.getClass().getSimpleName());
      }
    });
  }

  private void retryOrGiveUp(Webhook hook, String id, byte[] body, int attempt,
      CompletableFuture<Void> done, String why) {
    if (attempt >= ATTEMPTS) {
      giveUp(hook, id, attempt, done, why);
      return;
    }
    long delayMs = backoff.toMillis() << (attempt - 1);
    try {
      retries.schedule(() -> send(hook, id, body, attempt + 1, done), delayMs, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      giveUp(hook, id, attempt, done, why + ", then shut down");
    }
  }

  private static void giveUp(Webhook hook, String id, int attempt, CompletableFuture<Void> done,
      String why) {
    log.warn("webhook {} ({}) failed for {} after {} attempt{}: {}", hook.safeName(), hook.format(),
        id, attempt, attempt == 1 ? "" : "s", why);
    done.complete(null);
  }

  @Override
  public void close() {
    retries.shutdownNow();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
