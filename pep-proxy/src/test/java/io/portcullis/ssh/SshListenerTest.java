package io.portcullis.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshListenerTest {

  @TempDir Path dir;

  @Test
  void theHostKeyIsGeneratedOnceWithMode0600AndReused() throws Exception {
    Path file = dir.resolve("keys/ssh-host-key");
    KeyPair first = SshListener.hostKey(file).loadKeys(null).iterator().next();
    assertThat(file).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    KeyPair again = SshListener.hostKey(file).loadKeys(null).iterator().next();
    assertThat(again.getPublic()).isEqualTo(first.getPublic());
    assertThat(first.getPublic().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void onlyAeadCiphersAreOfferedAesGcmFirst() {
    assertThat(SshCiphers.preferred()).extracting(f -> f.getName())
        .containsExactly("aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com");
  }
}
