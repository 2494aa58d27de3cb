package io.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.portcullis.policy.Decision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpHeaderRulesTest {

  @Test
  void thePolicySeesNoSecretsAndNoHopByHopHeaders() {
    HttpHeaders headers = new DefaultHttpHeaders()
        .add("Authorization", "Bearer secret").add("Cookie", "s=1").add("Proxy-Authorization", "x")
        .add("Connection", "keep-alive, X-Private").add("X-Private", "p").add("TE", "trailers")
        .add("X-Http2-Stream-Id", "3").add("Accept", "application/json").add("X-Multi", "a").add("X-Multi", "b")
        .add("Impersonate-User", "admin");
    HttpProtocol strippingImpersonation = new HttpProtocol() {
      @Override
      public String name() {
        return "test";
      }

      @Override
      public boolean strips(String name) {
        return name.startsWith("impersonate-");
      }

      @Override
      public HttpDescribed describe(HttpRequestHead head) {
        throw new UnsupportedOperationException();
      }

      @Override
      public HttpReply reply(int status, String error, List<String> reasons) {
        throw new UnsupportedOperationException();
      }

      @Override
      public java.time.Instant streamDeadline(HttpDescribed described, java.time.Instant tokenExpiresAt) {
        return null;
      }
    };
    assertThat(HttpHeaderRules.forDocument(headers, strippingImpersonation)).containsExactly(
        Map.entry("accept", List.of("application/json")), Map.entry("x-multi", List.of("a", "b")));
  }

  @Test
  void aDecisionMayNotTouchWhatTheGatewayOwns() {
    HttpHeaderRules.check(new Decision.HeaderChanges(Map.of("X-Subject", "alice"), List.of("X-Debug")));
    for (String owned : List.of("Authorization", "host", "Content-Length", "X-Forwarded-For", "Connection", "bad name")) {
      assertThatThrownBy(() -> HttpHeaderRules.check(new Decision.HeaderChanges(Map.of(owned, "v"), null)))
          .as(owned).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("headers.add: " + owned);
      assertThatThrownBy(() -> HttpHeaderRules.check(new Decision.HeaderChanges(null, List.of(owned))))
          .as(owned).hasMessageContaining("headers.remove: " + owned);
    }
  }

  @Test
  void responsesLoseHopByHopHeadersButKeepTheirFraming() {
    HttpHeaders headers = new DefaultHttpHeaders().add("Connection", "close, X-Hop").add("X-Hop", "1")
        .add("Keep-Alive", "timeout=5").add("Transfer-Encoding", "chunked").add("Content-Type", "application/json");
    HttpHeaderRules.cleanResponse(headers, false);
    assertThat(headers.names()).containsExactlyInAnyOrder("Transfer-Encoding", "Content-Type");
  }
}
