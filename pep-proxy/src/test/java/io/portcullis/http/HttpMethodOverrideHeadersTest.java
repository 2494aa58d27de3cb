package io.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpMethodOverrideHeadersTest {

  @ParameterizedTest
  @ValueSource(strings = {"x-http-method-override", "x-http-method", "x-method-override"})
  void methodOverrideHeadersAreNeverForwardedNorDecidedOn(String name) {
    assertThat(HttpHeaderRules.dropped(name, Set.of(), PlainHttp.INSTANCE)).isTrue();
    HttpHeaders headers = new DefaultHttpHeaders().add(name.toUpperCase(java.util.Locale.ROOT), "DELETE")
        .add("X-Foo", "bar");
    assertThat(HttpHeaderRules.forDocument(headers, PlainHttp.INSTANCE)).containsOnlyKeys("x-foo");
  }

  @ParameterizedTest
  @ValueSource(strings = {"x-foo", "accept", "x-forwarded-for"})
  void otherHeadersPass(String name) {
    assertThat(HttpHeaderRules.dropped(name, Set.of(), PlainHttp.INSTANCE)).isFalse();
  }
}
