package io.portcullis.protocol.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.document.KubernetesRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request document built from a request's method and target. */
class KubernetesRequestsTest {

  @Test
  void execCarriesContainerCommandAndStreams() {
    KubernetesRequest r = KubernetesRequests.of("POST",
        "/api/v1/namespaces/prod/pods/web-1/exec?command=ls&container=app&stdin=true&stdout=true&tty=false");
    assertThat(r).isEqualTo(new KubernetesRequest("kubernetes", "create", "", "v1", "pods", "exec",
        "prod", "web-1", "app", List.of("ls"), true, true, false, false, List.of(), "POST",
        "/api/v1/namespaces/prod/pods/web-1/exec", true, "", ""));
  }

  @Test
  void plainRequestsHaveNoStreamFields() {
    KubernetesRequest r = KubernetesRequests.of("GET", "/apis/apps/v1/namespaces/prod/deployments?limit=500");
    assertThat(r.verb()).isEqualTo("list");
    assertThat(r.apiGroup()).isEqualTo("apps");
    assertThat(r.path()).isEqualTo("/apis/apps/v1/namespaces/prod/deployments");
    assertThat(r.container()).isNull();
    assertThat(r.stdin()).isNull();
    assertThat(r.command()).isEmpty();
  }

  @Test
  void portForwardCarriesPortsOnly() {
    KubernetesRequest r = KubernetesRequests.of("GET",
        "/api/v1/namespaces/prod/pods/web-1/portforward?ports=5432");
    assertThat(r.ports()).containsExactly(5432);
    assertThat(r.container()).isNull();
    assertThat(r.tty()).isNull();
  }

  @Test
  void nonResourceUrls() {
    KubernetesRequest r = KubernetesRequests.of("GET", "/version?timeout=32s");
    assertThat(r.resourceRequest()).isFalse();
    assertThat(r.verb()).isEqualTo("get");
    assertThat(r.path()).isEqualTo("/version");
  }
}
