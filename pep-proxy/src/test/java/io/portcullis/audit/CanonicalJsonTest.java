package io.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

  @Test
  void keysAreSortedAtEveryDepthWithoutWhitespace() throws Exception {
    JsonNode tree = Json.mapper().readTree("""
        { "b": 1, "a": {"z": [3, {"y": null, "x": true}], "é": "x"}, "A": -2.5 }
        """);
    assertThat(CanonicalJson.of(tree)).isEqualTo("{\"A\":-2.5,\"a\":{\"z\":[3,{\"x\":true,\"y\":null}],\"é\":\"x\"},\"b\":1}");
  }

  @Test
  void stringsEscapeOnlyQuotesBackslashesAndControlCharacters() throws Exception {
    JsonNode tree = Json.mapper().readTree("{\"s\":\"q\\\" b\\\\ t\\t n\\n u\\u0001 é € /\"}");
    assertThat(CanonicalJson.of(tree)).isEqualTo("{\"s\":\"q\\\" b\\\\ t\\t n\\n u\\u0001 é € /\"}");
  }

  @Test
  void canonicalFormIsAFixedPoint() throws Exception {
    String once = CanonicalJson.of(Json.mapper().readTree("{\"n\":1e3,\"m\":0.1,\"k\":12345678901234}"));
    assertThat(CanonicalJson.of(Json.mapper().readTree(once))).isEqualTo(once);
    assertThat(once).isEqualTo("{\"k\":12345678901234,\"m\":0.1,\"n\":1000.0}");
  }

  @Test
  void sealedRecordIsGolden() {
    var event = new SessionEnded("ses_1", 1500, "client_closed", null, 3, 2, 1);
    Chain.Sealed sealed = Chain.seal(Chain.Head.empty(), Instant.parse("2026-01-02T03:04:05.123456789Z"), event);
    assertThat(sealed.line()).isEqualTo("{\"event\":{\"allowed\":2,\"denied\":1,\"detail\":null,"
        + "\"duration_ms\":1500,\"kind\":\"session_end\",\"reason\":\"client_closed\",\"requests\":3,"
        + "\"session_id\":\"ses_1\"},\"hash\":\"" + sealed.record().hash() + "\",\"prev\":\""
        + Chain.ZERO + "\",\"seq\":1,\"ts\":\"2026-01-02T03:04:05.123456Z\"}");
    assertThat(Chain.recompute(readTree(sealed.line()))).isEqualTo(sealed.record().hash());
    // SHA-256(32 zero bytes || 00..01 || canonical JSON without hash), computed independently with
    // python3: json.dumps(body, sort_keys=True, separators=(',', ':'), ensure_ascii=False).
    assertThat(sealed.record().hash()).isEqualTo(GOLDEN_HASH);
  }

  @Test
  void checkpointHasNoSessionId() {
    var checkpoint = new Checkpoint(1, Chain.ZERO, "k", "c2ln", "records");
    assertThat(CanonicalJson.of(checkpoint)).doesNotContain("session_id").contains("\"kind\":\"checkpoint\"");
    assertThat(CanonicalJson.of(List.of(checkpoint))).startsWith("[{");
  }

  private static final String GOLDEN_HASH = "519235707e5aab7f5ee023cdfbab648f4a896f95393cec0e630969dde2160e39";

  private static JsonNode readTree(String line) {
    try {
      return Json.mapper().readTree(line);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
