package io.portcullis.mask;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamMaskerTest {

  private static final Map<DataPattern, MaskStrategy> CARDS_AND_KEYS = Map.of(
      DataPattern.CREDIT_CARD, MaskStrategy.PARTIAL, DataPattern.AWS_ACCESS_KEY, MaskStrategy.REDACT);

  @Test
  void masksPatternsInCompleteLines() {
    String out = StreamMasker.maskAll(CARDS_AND_KEYS, null,
        "card 4111111111111111 ok\naws AKIAIOSFODNN7EXAMPLE\nplain 123\n");
    assertThat(out).isEqualTo("card ************1111 ok\naws [REDACTED]\nplain 123\n");
  }

  @Test
  void aMatchSplitAcrossChunksIsStillMasked() {
    StreamMasker m = new StreamMasker(CARDS_AND_KEYS, null, 4096);
    byte[] text = "x 4111111111111111 y\n".getBytes(StandardCharsets.US_ASCII);
    for (int cut = 1; cut < text.length; cut++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(m.feed(text, 0, cut));
      out.writeBytes(m.feed(text, cut, text.length - cut));
      assertThat(m.holding()).isFalse();
      assertThat(out.toString(StandardCharsets.US_ASCII)).as("cut at %d", cut).isEqualTo("x ************1111 y\n");
    }
  }

  @Test
  void anIncompleteLineIsHeldUntilFlushOrTheLimit() {
    StreamMasker m = new StreamMasker(CARDS_AND_KEYS, null, 64);
    byte[] prompt = "$ ".getBytes(StandardCharsets.US_ASCII);
    assertThat(m.feed(prompt, 0, prompt.length)).isEmpty();
    assertThat(m.holding()).isTrue();
    assertThat(new String(m.flush(), StandardCharsets.US_ASCII)).isEqualTo("$ ");
    byte[] longLine = "y".repeat(100).getBytes(StandardCharsets.US_ASCII);
    assertThat(m.feed(longLine, 0, longLine.length)).hasSize(100);
    assertThat(m.holding()).isFalse();
  }

  @Test
  void countsWhatItMasked() {
    StreamMasker m = new StreamMasker(CARDS_AND_KEYS, null, 4096);
    byte[] text = "4111111111111111\nnothing\n".getBytes(StandardCharsets.US_ASCII);
    m.feed(text, 0, text.length);
    assertThat(m.maskedCount()).isEqualTo(1);
  }
}
