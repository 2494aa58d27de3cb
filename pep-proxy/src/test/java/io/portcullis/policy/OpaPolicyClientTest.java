package io.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpaPolicyClientTest {

  private MockWebServer server;
  private OpaPolicyClient client;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    client = new OpaPolicyClient(server.url("/").toString(), 300);
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.close();
  }

  private PolicyVerdict decideWith(MockResponse response) throws Exception {
    // The health poller may take a request first; answer every request the same way.
    server.setDispatcher(new mockwebserver3.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return response;
      }
    });
    return client.decide(Inputs.select(), Inputs.key("ci", "fp1")).get(5, TimeUnit.SECONDS);
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  @Test
  void allowWithDecisionIdAndRevision() throws Exception {
    PolicyVerdict v = decideWith(json(200, """
        {"decision_id":"d-1","result":{"allow":true,"reasons":[]},
         "provenance":{"bundles":{"b":{"revision":"r9"}}}}"""));
    assertThat(v.allowed()).isTrue();
    assertThat(v.decisionId()).isEqualTo("d-1");
    assertThat(v.revision()).isEqualTo("r9");
    assertThat(v.source()).isEqualTo(PolicyVerdict.Source.OPA);
  }

  @Test
  void denyCarriesReasons() throws Exception {
    PolicyVerdict v = decideWith(json(200, "{\"result\":{\"allow\":false,\"reasons\":[\"no\"]}}"));
    assertThat(v.allowed()).isFalse();
    assertThat(v.decision().reasons()).containsExactly("no");
  }

  @Test
  void undefinedDecisionIsADeny() throws Exception {
    PolicyVerdict v = decideWith(json(200, "{}"));
    assertThat(v.allowed()).isFalse();
    assertThat(v.source()).isEqualTo(PolicyVerdict.Source.FAILURE);
    assertThat(v.decision().reasons()).containsExactly("policy decision unavailable: OPA returned no decision (undefined)");
  }

  @Test
  void serverErrorIsADeny() throws Exception {
    PolicyVerdict v = decideWith(json(500, "{\"code\":\"internal_error\"}"));
    assertThat(v.decision().reasons()).containsExactly("policy decision unavailable: OPA answered HTTP 500");
  }

  @Test
  void allowAsAStringIsMalformed() throws Exception {
    PolicyVerdict v = decideWith(json(200, "{\"result\":{\"allow\":\"true\"}}"));
    assertThat(v.allowed()).isFalse();
    assertThat(v.decision().reasons().get(0)).contains("malformed decision: allow is STRING (expected: boolean)");
  }

  @Test
  void missingAllowIsMalformed() throws Exception {
    assertThat(decideWith(json(200, "{\"result\":{\"reasons\":[]}}")).decision().reasons().get(0))
        .contains("allow is missing");
  }

  @Test
  void resultThatIsNotAnObjectIsMalformed() throws Exception {
    assertThat(decideWith(json(200, "{\"result\":[true]}")).decision().reasons().get(0))
        .contains("result is ARRAY (expected: object)");
  }

  @Test
  void numericReasonsAreMalformed() throws Exception {
    assertThat(decideWith(json(200, "{\"result\":{\"allow\":true,\"reasons\":[1]}}")).allowed()).isFalse();
  }

  @Test
  void badCacheHintIsMalformed() throws Exception {
    PolicyVerdict v = decideWith(json(200,
        "{\"result\":{\"allow\":true,\"cache\":{\"ttl_s\":0,\"scope\":\"fingerprint\"}}}"));
    assertThat(v.allowed()).isFalse();
  }

  @Test
  void lateAnswerIsADenyWithinTheTimeout() throws Exception {
    long start = System.nanoTime();
    PolicyVerdict v = decideWith(new MockResponse.Builder().code(200)
        .body("{\"result\":{\"allow\":true}}").headersDelay(2, TimeUnit.SECONDS).build());
    assertThat(v.allowed()).isFalse();
    assertThat(v.decision().reasons()).containsExactly("policy decision unavailable: OPA did not answer within 300 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void moreLateRequestsThanTheClientRunsAtOnceAreAllDeniedWithinTheTimeout() throws Exception {
    // The HTTP client runs at most 256 calls at once; the rest wait in its queue. The timeout
    // counts from the request, not from when the client gets round to it, or a slow OPA would
    // make every statement behind the first 256 wait a multiple of it.
    server.setDispatcher(new mockwebserver3.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).body("{\"result\":{\"allow\":true}}")
            .headersDelay(3, TimeUnit.SECONDS).build();
      }
    });
    int n = 600;
    long[] took = new long[n];
    java.util.List<java.util.concurrent.CompletableFuture<PolicyVerdict>> all = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      int at = i;
      all.add(client.decide(Inputs.select(), Inputs.key("ci", "fp" + i))
          .whenComplete((v, e) -> took[at] = System.nanoTime() - start));
    }
    for (var f : all) {
      PolicyVerdict v = f.get(10, TimeUnit.SECONDS);
      assertThat(v.allowed()).isFalse();
      assertThat(v.decision().reasons()).containsExactly("policy decision unavailable: OPA did not answer within 300 ms");
    }
    // Queued behind the first 256, the rest would wait for OPA's 3 s answer at least once: any
    // wait under that shows the timeout ran from the request. Not tighter: the build machines
    // are shared, and a scheduling delay is not what this test is about.
    long slowest = java.util.Arrays.stream(took).max().orElseThrow();
    assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofMillis(2_500));
  }

  @Test
  void unreachableOpaIsADeny() throws Exception {
    try (OpaPolicyClient nowhere = new OpaPolicyClient("http://127.0.0.1:1", 300)) {
      PolicyVerdict v = nowhere.decide(Inputs.select(), Inputs.key("ci", "fp1")).get(5, TimeUnit.SECONDS);
      assertThat(v.allowed()).isFalse();
      assertThat(v.decision().reasons().get(0)).startsWith("policy decision unavailable: OPA unreachable at http://127.0.0.1:1");
    }
  }

  @Test
  void requestIsSnakeCaseInputWithoutCompression() throws Exception {
    var seen = new java.util.concurrent.atomic.AtomicReference<RecordedRequest>();
    server.setDispatcher(new mockwebserver3.Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if (request.getTarget().startsWith("/v1/data/portcullis/decision?")) {
          seen.set(request); // The health poller's probes go elsewhere.
        }
        return json(200, "{\"result\":{\"allow\":true}}");
      }
    });
    assertThat(client.decide(Inputs.select(), Inputs.key("ci", "fp1")).get(5, TimeUnit.SECONDS).allowed())
        .isTrue();
    RecordedRequest request = seen.get();
    assertThat(request).isNotNull();
    assertThat(request.getHeaders().get("Accept-Encoding")).isEqualTo("identity");
    String body = request.getBody().utf8();
    assertThat(body).startsWith("{\"input\":{").contains("\"started_at\"", "\"statement_name\"", "\"parse_error\"");
  }

}
