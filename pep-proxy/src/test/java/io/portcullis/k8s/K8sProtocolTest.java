package io.portcullis.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.config.TargetSettings;
import io.portcullis.document.KubernetesRequest;
import io.portcullis.http.HttpDescribed;
import io.portcullis.http.HttpProtocols;
import io.portcullis.http.HttpRefusal;
import io.portcullis.http.HttpReply;
import io.portcullis.http.HttpRequestHead;
import io.portcullis.json.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Kubernetes protocol of the HTTP gateway: describe, refuse, answer in Status objects. */
class K8sProtocolTest {

  private static final TargetSettings TARGET = TargetSettings.http("prod-cluster", "kubernetes",
      "127.0.0.1:0", "https://127.0.0.1:16443", null, null, null, null);
  private final K8sProtocol k8s = (K8sProtocol) HttpProtocols.of(TARGET);

  private static HttpRequestHead head(String method, String rawPath, Map<String, List<String>> query,
      String upgrade, Long bodyBytes) {
    return new HttpRequestHead(method, rawPath, rawPath, query, Map.of(), upgrade, false, null, null,
        bodyBytes);
  }

  @Test
  void describesAListWithACacheKeyOfTheWholeRequest() throws HttpRefusal {
    Map<String, List<String>> query = new LinkedHashMap<>();
    query.put("limit", List.of("500"));
    HttpDescribed d = k8s.describe(head("GET", "/api/v1/namespaces/prod/pods", query, null, 0L));
    KubernetesRequest r = (KubernetesRequest) d.request();
    assertThat(r.verb()).isEqualTo("list");
    assertThat(r.namespace()).isEqualTo("prod");
    assertThat(r.kind()).isEqualTo("kubernetes");
    assertThat(d.cacheKey()).isEqualTo("GET /api/v1/namespaces/prod/pods?limit=500");
    assertThat(d.summary()).isEqualTo("list pods prod/*");
    assertThat(d.upgrade()).isFalse();
    assertThat(k8s.name()).isEqualTo("kubernetes");
  }

  @Test
  void execUpgradesAreCreateAndNeverCached() throws HttpRefusal {
    HttpDescribed d = k8s.describe(head("GET", "/api/v1/namespaces/dev/pods/web-1/exec",
        Map.of("command", List.of("ls", "-l"), "container", List.of("app")), "websocket", 0L));
    KubernetesRequest r = (KubernetesRequest) d.request();
    assertThat(r.verb()).isEqualTo("create");
    assertThat(r.command()).containsExactly("ls", "-l");
    assertThat(r.container()).isEqualTo("app");
    assertThat(d.upgrade()).isTrue();
    assertThat(d.cacheKey()).isNull();
    assertThat(d.summary()).isEqualTo("create pods/exec dev/web-1");
  }

  @Test
  void requestsWithBodiesAreNeverCached() throws HttpRefusal {
    HttpDescribed d = k8s.describe(head("POST", "/apis/apps/v1/namespaces/dev/deployments", Map.of(),
        null, 120L));
    assertThat(d.cacheKey()).isNull();
    assertThat(d.summary()).isEqualTo("create deployments.apps dev/*");
  }

  @Test
  void otherUpgradesAreRefused() {
    assertThatThrownBy(() -> k8s.describe(head("GET", "/api/v1/namespaces/dev/pods", Map.of(),
        "websocket", 0L))).isInstanceOf(HttpRefusal.class)
        .hasMessage("upgrade: websocket (expected: only on pods/exec, pods/attach and pods/portforward)");
  }

  @Test
  void semicolonsInTheQueryAndAmbiguousPathsAreRefused() {
    assertThatThrownBy(() -> k8s.describe(head("GET", "/api/v1/pods", Map.of("watch", List.of("1;x")),
        null, 0L))).isInstanceOf(HttpRefusal.class).hasMessageStartingWith("query: ; in parameter watch");
    assertThatThrownBy(() -> k8s.describe(head("GET", "/api/v1/namespaces/a%2Fb/pods", Map.of(), null,
        0L))).isInstanceOf(HttpRefusal.class).hasMessageStartingWith("path: encoded byte 0x2f");
  }

  @Test
  void impersonationHeadersAreStripped() {
    assertThat(k8s.strips("impersonate-user")).isTrue();
    assertThat(k8s.strips("impersonate-group")).isTrue();
    assertThat(k8s.strips("impersonate-extra-scopes")).isTrue();
    assertThat(k8s.strips("impersonate-uid")).isTrue();
    assertThat(k8s.strips("accept")).isFalse();
  }

  @Test
  void repliesAreStatusObjects() throws Exception {
    HttpReply reply = k8s.reply(403, "forbidden", List.of("a", "b"));
    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.contentType()).isEqualTo("application/json");
    JsonNode status = Json.mapper().readTree(reply.body());
    assertThat(status.get("kind").asText()).isEqualTo("Status");
    assertThat(status.get("apiVersion").asText()).isEqualTo("v1");
    assertThat(status.get("status").asText()).isEqualTo("Failure");
    assertThat(status.get("reason").asText()).isEqualTo("Forbidden");
    assertThat(status.get("code").asInt()).isEqualTo(403);
    assertThat(status.get("message").asText()).isEqualTo("a; b");
    assertThat(K8sStatus.reason(401)).isEqualTo("Unauthorized");
    assertThat(K8sStatus.reason(400)).isEqualTo("BadRequest");
    assertThat(K8sStatus.reason(413)).isEqualTo("RequestEntityTooLarge");
    assertThat(K8sStatus.reason(502)).isEqualTo("InternalError");
    assertThat(K8sStatus.reason(504)).isEqualTo("Timeout");
  }

  @Test
  void everyStreamEndsWhenTheTokenExpires() throws HttpRefusal {
    Instant expiry = Instant.parse("2026-12-01T12:00:00Z");
    HttpDescribed d = k8s.describe(head("GET", "/api/v1/pods", Map.of("watch", List.of("1")), null, 0L));
    assertThat(k8s.streamDeadline(d, expiry)).isEqualTo(expiry);
  }
}
