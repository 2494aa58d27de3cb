package io.portcullis.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/** The hash chain: sealing events into records and recomputing a stored record's hash. */
public final class Chain {

  /** The {@code prev} of the first record. */
  public static final String ZERO = "0".repeat(64);

  private static final HexFormat HEX = HexFormat.of();

  private Chain() {}

  /**
   * The head of a chain: the last record's seq and hash.
   *
   * @param seq the last seq, 0 for an empty log
   * @param hash the last hash, {@link #ZERO} for an empty log
   */
  public record Head(long seq, String hash) {
    /** The head of an empty log. */
    public static Head empty() {
      return new Head(0, ZERO);
    }
  }

  /**
   * A record together with its line, exactly as stored.
   *
   * @param record the record
   * @param line the canonical JSON line (without newline)
   */
  public record Sealed(AuditRecord record, String line) {}

  /** Seals {@code event} as the record after {@code head}. */
  public static Sealed seal(Head head, Instant ts, AuditEvent event) {
    long seq = head.seq() + 1;
    AuditRecord unsealed = new AuditRecord(seq, ts.truncatedTo(ChronoUnit.MICROS), head.hash(), event, null);
    ObjectNode tree = Json.mapper().valueToTree(unsealed);
    tree.remove("hash");
    String hash = hash(head.hash(), seq, tree);
    tree.put("hash", hash);
    return new Sealed(new AuditRecord(seq, unsealed.ts(), head.hash(), event, hash), CanonicalJson.of(tree));
  }

  /** The hash a stored record should carry: over its prev, its seq and its JSON without hash. */
  public static String recompute(JsonNode stored) {
    ObjectNode copy = stored.deepCopy();
    copy.remove("hash");
    return hash(copy.path("prev").asText(), copy.path("seq").asLong(), copy);
  }

  static String hash(String prevHex, long seq, JsonNode withoutHash) {
    MessageDigest sha = sha256();
    sha.update(prevBytes(prevHex));
    sha.update(ByteBuffer.allocate(8).putLong(seq).array());
    sha.update(CanonicalJson.bytes(withoutHash));
    return HEX.formatHex(sha.digest());
  }

  private static byte[] prevBytes(String prevHex) {
    try {
      byte[] bytes = HEX.parseHex(prevHex);
      return bytes.length == 32 ? bytes : new byte[32];
    } catch (IllegalArgumentException e) {
      // A malformed prev hashes as zeros; the chain check then reports the broken link.
      return new byte[32];
    }
  }

  /** SHA-256 of {@code text} (UTF-8), hex. */
  public static String sha256Hex(String text) {
    return HEX.formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
