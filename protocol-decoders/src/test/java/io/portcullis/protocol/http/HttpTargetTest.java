package io.portcullis.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HttpTargetTest {

  @ParameterizedTest
  @CsvSource({
      "/api/customers/42, /api/customers/42, /api/customers/42",
      "/, /, /",
      "/api//customers///42, /api/customers/42, /api/customers/42",
      "/api/customers/, /api/customers/, /api/customers/",
      "/a%41b, /aAb, /aAb",
      "/caf%C3%A9, /café, /caf%C3%A9",
      "/a%2eb, /a.b, /a.b",
      "/a%20b, /a b, /a%20b",
      "/ns:x@y, /ns:x@y, /ns:x@y",
  })
  void normalises(String raw, String path, String forward) throws Exception {
    HttpTarget target = HttpTarget.parse(raw);
    assertThat(target.path()).isEqualTo(path);
    assertThat(target.forwardPath()).isEqualTo(forward);
    // What is forwarded means the same as what was decided.
    assertThat(HttpTarget.parse(target.forwardPath()).path()).isEqualTo(path);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/api%2Fcustomers", "/api%2fcustomers", "/api/%2e%2e/admin", "/api/%2E%2E/admin", "/api/../admin",
      "/api/./x", "/api/.%2e/admin", "/api\\admin", "/api%5Cadmin", "/api%00", "/api%2500",
      "/api%252e%252e", "/api%zz", "/api%2", "/api%", "/caf%C3", "/a b", "/a\u0000b", "/a#frag",
      "api", "*", "http://127.0.0.1/api", "/a%0d%0aX: y", "/\u00e9",
  })
  void refusesAmbiguousOrMalformed(String raw) {
    assertThatThrownBy(() -> HttpTarget.parse(raw)).isInstanceOf(HttpTargetException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/admin;x=1/users", "/api/customers/..;/..;/admin", "/api/admin%3Bx", "/api/admin;"})
  void refusesPathParameters(String raw) {
    // Tomcat, Jetty and Spring cut ";..." off a segment: /api/admin;x is /api/admin to them.
    assertThatThrownBy(() -> HttpTarget.parse(raw)).isInstanceOf(HttpTargetException.class)
        .hasMessageContaining("path parameter (;)");
  }

  @Test
  void aSemicolonInTheQueryIsData() throws Exception {
    assertThat(HttpTarget.parse("/api/x?a=1;b").query()).containsEntry("a", java.util.List.of("1;b"));
  }

  @Test
  void decodesTheQueryAndKeepsItRaw() throws Exception {
    HttpTarget target = HttpTarget.parse("/p?b=2&a=1&a=x%20y&c&d=e+f&labelSelector=app%3Dweb");
    assertThat(target.rawQuery()).isEqualTo("b=2&a=1&a=x%20y&c&d=e+f&labelSelector=app%3Dweb");
    assertThat(target.query()).containsEntry("a", List.of("1", "x y")).containsEntry("b", List.of("2"))
        .containsEntry("c", List.of("")).containsEntry("d", List.of("e f"))
        .containsEntry("labelSelector", List.of("app=web"));
    assertThat(target.forwardTarget()).isEqualTo("/p?" + target.rawQuery());
  }

  @Test
  void refusesAnEncodedNulInTheQuery() {
    assertThatThrownBy(() -> HttpTarget.parse("/p?a=%00")).hasMessageContaining("control character");
  }
}
