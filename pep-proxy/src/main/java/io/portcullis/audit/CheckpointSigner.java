package io.portcullis.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The Ed25519 key that signs checkpoints: a PKCS#8 PEM file (mode 0600), generated on first start
 * when absent, with its public key exported beside it as {@code <file>.pub} (X.509 PEM).
 */
public final class CheckpointSigner {

  private static final String CONTEXT = "portcullis-audit-checkpoint-v1\n";

  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final String keyId;

  private CheckpointSigner(PrivateKey privateKey, PublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.keyId = keyId(publicKey);
  }

  /** Loads the key in {@code file}, or generates and saves one when there is none. */
  public static CheckpointSigner loadOrCreate(Path file) {
    try {
      if (!Files.exists(file)) {
        generate(file);
      }
      KeyFactory factory = KeyFactory.getInstance("Ed25519");
      PrivateKey key = factory.generatePrivate(new PKCS8EncodedKeySpec(pem(Files.readString(file), "PRIVATE KEY")));
      Path pub = publicKeyFile(file);
      PublicKey publicKey = readPublicKey(pub);
      return new CheckpointSigner(key, publicKey);
    } catch (IOException e) {
      throw new UncheckedIOException("audit signing key " + file + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("audit signing key " + file + ": " + e.getMessage(), e);
    }
  }

  private static void generate(Path file) throws IOException, GeneralSecurityException {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      return; // another process generated it meanwhile
    }
    Files.writeString(file, toPem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.SYNC);
    Files.writeString(publicKeyFile(file), toPem("PUBLIC KEY", pair.getPublic().getEncoded()),
        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
  }

  /** Where the public key of {@code keyFile} is exported. */
  public static Path publicKeyFile(Path keyFile) {
    return keyFile.resolveSibling(keyFile.getFileName() + ".pub");
  }

  /** Reads an exported public key. */
  public static PublicKey readPublicKey(Path file) throws IOException {
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(new X509EncodedKeySpec(pem(Files.readString(file), "PUBLIC KEY")));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(file + ": not an Ed25519 public key (" + e.getMessage() + ")", e);
    }
  }

  /** Signs a checkpoint over the record {@code coversSeq} whose hash is {@code coversHash}. */
  public Checkpoint checkpoint(long coversSeq, String coversHash, String trigger) {
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(privateKey);
      signer.update(message(coversSeq, coversHash));
      return new Checkpoint(coversSeq, coversHash, keyId,
          Base64.getEncoder().encodeToString(signer.sign()), trigger);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign checkpoint: " + e.getMessage(), e);
    }
  }

  /** Whether {@code checkpoint}'s signature is valid under {@code key}. */
  public static boolean verify(Checkpoint checkpoint, PublicKey key) {
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(message(checkpoint.coversSeq(), checkpoint.coversHash()));
      return verifier.verify(Base64.getDecoder().decode(checkpoint.signature()));
    } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
      return false;
    }
  }

  /** The public key that verifies this signer's checkpoints. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** Short id of a public key: the first 16 hex digits of SHA-256 of its encoding. */
  public static String keyId(PublicKey key) {
    return HexFormat.of().formatHex(Chain.sha256().digest(key.getEncoded()), 0, 8);
  }

  private static byte[] message(long seq, String hash) {
    return (CONTEXT + seq + "\n" + hash).getBytes(StandardCharsets.UTF_8);
  }

  private static String toPem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static byte[] pem(String text, String type) {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("expected a PEM " + type);
    }
    return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
  }
}
