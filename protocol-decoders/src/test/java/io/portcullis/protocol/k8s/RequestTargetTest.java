package io.portcullis.protocol.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The strict reading of request targets: what it accepts, and every ambiguity it refuses. */
class RequestTargetTest {

  @Test
  void splitsAndDecodes() {
    RequestTarget t = RequestTarget.parse("/api/v1/namespaces/prod/pods/w%65b?a=1&b=x+y&a=%E2%9C%93&c");
    assertThat(t.segments()).containsExactly("api", "v1", "namespaces", "prod", "pods", "web");
    assertThat(t.path()).isEqualTo("/api/v1/namespaces/prod/pods/web");
    assertThat(t.trailingSlash()).isFalse();
    assertThat(t.query()).isEqualTo(Map.of("a", List.of("1", "\u2713"), "b", List.of("x y"), "c", List.of("")));
    assertThat(t.first("a")).isEqualTo("1");
    assertThat(t.first("zz")).isNull();
    assertThat(t.all("zz")).isEmpty();
  }

  @Test
  void keepsOneTrailingSlashAndTheRoot() {
    RequestTarget t = RequestTarget.parse("/api/v1/nodes/x/proxy/");
    assertThat(t.trailingSlash()).isTrue();
    assertThat(t.path()).isEqualTo("/api/v1/nodes/x/proxy/");
    assertThat(RequestTarget.parse("/").segments()).isEmpty();
    assertThat(RequestTarget.parse("/?x=1").path()).isEqualTo("/");
  }

  @Test
  void emptyQueryPairsAreSkippedAsGoDoes() {
    assertThat(RequestTarget.parse("/api?&&a=1&").query()).isEqualTo(Map.of("a", List.of("1")));
    assertThat(RequestTarget.parse("/api?=v").query()).isEqualTo(Map.of("", List.of("v")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      /api/v1/namespaces/prod%2Fx/pods      | path: encoded byte 0x2f
      /api/v1/namespaces/prod%2fx/pods      | path: encoded byte 0x2f
      /api/v1/pods%5c                       | path: encoded byte 0x5c
      /api/v1/pods%252F                     | path: encoded byte 0x25
      /api/v1/pods%00                       | path: encoded byte 0x0
      /api/v1/pods%20x                      | path: encoded byte 0x20
      /api/v1/pods%C3%A9                    | path: encoded byte 0xc3
      /api/v1/pods%3Fwatch=1                | path: encoded byte 0x3f
      /api/v1/pods%zz                       | path: bad escape
      /api/v1/pods%4                        | path: truncated escape
      /api/v1/pods%                         | path: truncated escape
      /api/v1/namespaces/../kube-system/secrets | path: dot segment
      /api/v1/namespaces/%2e%2e/secrets     | path: dot segment
      /api/v1/./pods                        | path: dot segment
      /api/v1/pods/.                        | path: dot segment
      /api/v1//pods                         | path: empty segment
      //api/v1/pods                         | path: empty segment
      /api/v1/pods//                        | path: empty segment
      /api/v1/pods?watch=1;x=2              | query: ;
      /api/v1/pods?a=%ff                    | query: invalid UTF-8
      /api/v1/pods?a=%g1                    | query: bad escape
      /api/v1/pods?a=%                      | query: truncated escape
      /api/v1/pods#frag                     | request target: character 0x23
      /api/v1/pods\\x                       | request target: character 0x5c
      api/v1/pods                           | request target: not in origin form
      http://127.0.0.1/api/v1/pods          | request target: not in origin form
      """)
  void refusesAmbiguousTargets(String target, String message) {
    assertThatThrownBy(() -> RequestTarget.parse(target))
        .isInstanceOf(K8sRequestException.class).hasMessageStartingWith(message);
  }

  @Test
  void refusesRawSpacesControlAndNonAscii() {
    for (String t : List.of("/api/v1/pods?x=a b", "/api/v1/po\tds", "/api/v1/p\u00e9", "/api\u007f", "")) {
      assertThatThrownBy(() -> RequestTarget.parse(t)).isInstanceOf(K8sRequestException.class);
    }
  }

  @Test
  void refusesOverlongTargetsAndTooManySegments() {
    String longTarget = "/api/v1/pods?x=" + "a".repeat(RequestTarget.MAX_BYTES);
    assertThatThrownBy(() -> RequestTarget.parse(longTarget))
        .hasMessage("request target: " + longTarget.length() + " bytes (expected: <= 8192)");
    String deep = "/a".repeat(RequestTarget.MAX_SEGMENTS + 1);
    assertThatThrownBy(() -> RequestTarget.parse(deep)).hasMessageStartingWith("path: more than 64 segments");
    assertThat(RequestTarget.parse("/a".repeat(RequestTarget.MAX_SEGMENTS)).segments()).hasSize(64);
  }

  @ParameterizedTest
  @CsvSource({
      "/api/v1/namespaces/prod/pods/web-1/exec?command=ls&command=-l%20x&command=%E2%9C%93&stdin=true",
      "/api/v1/nodes/x/proxy/",
      "/",
      "/apis/apps/v1/namespaces/p/deployments/a:b!c?watch=&fieldSelector=metadata.name%3Da&x=%3B%26%3D",
  })
  void renderParsesBackToTheSameTarget(String raw) {
    RequestTarget t = RequestTarget.parse(raw);
    assertThat(RequestTarget.parse(t.render())).isEqualTo(t);
  }
}
