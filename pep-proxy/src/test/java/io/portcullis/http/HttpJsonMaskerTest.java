package io.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.policy.Decision;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpJsonMaskerTest {

  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private static String mask(String json, Decision.MaskRule... rules) throws Exception {
    Decision decision = new Decision(true, List.of(), List.of(rules), null, null, List.of(), null, false);
    return new String(new HttpJsonMasker(HttpMaskRules.of(decision), KEY).mask(json.getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.UTF_8);
  }

  private static Decision.MaskRule path(String path, String strategy) {
    return new Decision.MaskRule(null, null, null, path, strategy);
  }

  private static Decision.MaskRule pattern(String pattern, String strategy) {
    return new Decision.MaskRule(null, null, pattern, null, strategy);
  }

  @Test
  void masksTopLevelFieldsByPath() throws Exception {
    assertThat(mask("{\"id\":42,\"card_number\":\"4111111111111111\",\"ssn\":\"123-45-6789\",\"name\":\"Ann\"}",
        path("$.card_number", "partial"), path("$.ssn", "redact")))
        .isEqualTo("{\"id\":42,\"card_number\":\"************1111\",\"ssn\":\"[REDACTED]\",\"name\":\"Ann\"}");
  }

  @Test
  void masksEveryMemberUnderAWildcard() throws Exception {
    assertThat(mask("{\"kind\":\"Secret\",\"data\":{\"a\":\"c2VjcmV0\",\"b\":\"eA==\"}}", path("$.data.*", "redact")))
        .isEqualTo("{\"kind\":\"Secret\",\"data\":{\"a\":\"[REDACTED]\",\"b\":\"[REDACTED]\"}}");
  }

  @Test
  void masksInsideArraysAndWholeSubtrees() throws Exception {
    assertThat(mask("{\"items\":[{\"spec\":{\"token\":\"abc\",\"n\":7}},{\"spec\":{\"token\":\"def\"}}]}",
        path("$.items[*].spec", "redact")))
        .isEqualTo("{\"items\":[{\"spec\":{\"token\":\"[REDACTED]\",\"n\":\"[REDACTED]\"}},"
            + "{\"spec\":{\"token\":\"[REDACTED]\"}}]}");
    assertThat(mask("[{\"a\":\"x\"},{\"a\":\"y\"}]", path("$[1].a", "null"))).isEqualTo("[{\"a\":\"x\"},{\"a\":null}]");
    assertThat(mask("{\"a\":{\"b\":1}}", path("$['a'].b", "redact"))).isEqualTo("{\"a\":{\"b\":\"[REDACTED]\"}}");
  }

  @Test
  void masksPatternsInEveryStringAndNumber() throws Exception {
    assertThat(mask("{\"note\":\"card 4111 1111 1111 1111 ok\",\"n\":4111111111111111,\"deep\":[\"x\"]}",
        pattern("credit_card", "partial")))
        .isEqualTo("{\"note\":\"card ***************1111 ok\",\"n\":\"************1111\",\"deep\":[\"x\"]}");
  }

  @Test
  void leavesAbsentPathsAlone() throws Exception {
    assertThat(mask("{\"a\":1}", path("$.b.c", "redact"), path("$.a[0]", "redact"))).isEqualTo("{\"a\":1}");
  }

  @Test
  void refusesWhatIsNotJson() {
    assertThatThrownBy(() -> mask("<html>", path("$.a", "redact"))).isInstanceOf(HttpJsonMasker.NotJson.class);
    assertThatThrownBy(() -> mask("", path("$.a", "redact"))).isInstanceOf(HttpJsonMasker.NotJson.class);
  }

  @Test
  void refusesRulesItCannotApply() {
    assertThatThrownBy(() -> HttpJsonPath.parse("$..a")).hasMessageContaining("json_path: $..a");
    assertThatThrownBy(() -> HttpJsonPath.parse("a.b")).hasMessageContaining("expected: $");
    assertThatThrownBy(() -> HttpJsonPath.parse("$[?(@.a)]")).hasMessageContaining("json_path");
    Decision columnRule = new Decision(true, List.of(), List.of(new Decision.MaskRule("t", "c", null, null, "redact")),
        null, null, List.of(), null, false);
    assertThatThrownBy(() -> HttpMaskRules.of(columnRule)).hasMessageContaining("neither json_path nor pattern");
  }
}
