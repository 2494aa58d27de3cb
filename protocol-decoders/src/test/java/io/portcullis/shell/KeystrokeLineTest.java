package io.portcullis.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.shell.KeystrokeLine.Key;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeystrokeLineTest {

  private final KeystrokeLine keys = new KeystrokeLine(64);

  private List<Key> type(String s) {
    List<Key> out = new ArrayList<>();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      out.add(keys.feed(b));
    }
    return out;
  }

  @Test
  void printableKeysAreForwardedAndEnterEndsTheLine() {
    assertThat(type("ls -l")).containsOnly(Key.FORWARD);
    assertThat(keys.feed('\r')).isEqualTo(Key.ENTER);
    assertThat(keys.takeLine()).isEqualTo("ls -l");
    assertThat(keys.line()).isEmpty();
    // CR LF is one Enter; a lone LF is one too.
    assertThat(keys.feed('\n')).isEqualTo(Key.DROP);
    assertThat(keys.feed('\n')).isEqualTo(Key.ENTER);
  }

  @Test
  void backspaceEraseAndKillEditTheLine() {
    type("rm -rf /x\u007f\u007fetc");
    assertThat(keys.line()).isEqualTo("rm -rf etc");
    type("\u0008\u0008\u0008");
    assertThat(keys.line()).isEqualTo("rm -rf ");
    type("\u0015");
    assertThat(keys.line()).isEmpty();
    type("abc\u0003");
    assertThat(keys.line()).isEmpty();
    type("h\u00e9\u007f");
    assertThat(keys.line()).isEqualTo("h");
  }

  @Test
  void tabArrowsAndEscapeSequencesAreDropped() {
    assertThat(type("\t")).containsExactly(Key.DROP);
    assertThat(type("\u001b[A")).containsOnly(Key.DROP);
    assertThat(type("\u001bOB")).containsOnly(Key.DROP);
    assertThat(type("\u001b[200~ls\u001b[201~")).containsExactly(Key.DROP, Key.DROP, Key.DROP, Key.DROP,
        Key.DROP, Key.DROP, Key.FORWARD, Key.FORWARD, Key.DROP, Key.DROP, Key.DROP, Key.DROP, Key.DROP, Key.DROP);
    assertThat(type("\u0012\u0018\u0005")).containsOnly(Key.DROP);
    assertThat(keys.line()).isEqualTo("ls");
  }

  @Test
  void keysBeyondTheLimitAreDropped() {
    type("a".repeat(64));
    assertThat(keys.feed('b')).isEqualTo(Key.DROP);
    assertThat(keys.line()).hasSize(64);
  }
}
