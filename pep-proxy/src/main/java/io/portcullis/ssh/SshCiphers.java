package io.portcullis.ssh;

import java.util.List;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;

/**
 * The ciphers the gateway speaks, on both sides: AEAD only. AES-GCM first, which the JDK runs on
 * the CPU's AES and carry-less multiply instructions; ChaCha20-Poly1305 (pure Java in MINA) for
 * clients that offer nothing else. The client's order decides which is used.
 */
final class SshCiphers {

  private SshCiphers() {}

  static List<NamedFactory<Cipher>> preferred() {
    return List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm, BuiltinCiphers.cc20p1305_openssh);
  }
}
