package io.portcullis.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The dev issuer's EC P-256 signing key: persisted as a JWK file (mode 0600), and minting. */
final class DevIssuerKey {

  private static final Logger log = LoggerFactory.getLogger(DevIssuerKey.class);
  private static final long MAX_FILE_BYTES = 64 * 1024;
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private DevIssuerKey() {}

  /** Loads the key at {@code file}, or generates and persists one if there is none. */
  static ECKey loadOrCreate(Path file) {
    if (Files.exists(file)) {
      return load(file);
    }
    ECKey key = generate();
    try {
      persist(file, key);
      log.info("dev issuer: generated signing key {} at {}", key.getKeyID(), file);
      return key;
    } catch (FileAlreadyExistsException e) {
      return load(file); // another process created it first: use theirs
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write dev issuer key to " + file, e);
    }
  }

  /** Loads the persisted key; fails clearly when it is missing or not an EC P-256 private JWK. */
  static ECKey load(Path file) {
    if (!Files.exists(file)) {
      throw new IllegalStateException(
          "no dev issuer key at "
              + file
              + "; start the gateway with identity.dev_issuer.enabled first");
    }
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new IllegalStateException("dev issuer key at " + file + " is not a JWK (too large)");
      }
      warnIfReadableByOthers(file);
      ECKey key = ECKey.parse(Files.readString(file, StandardCharsets.UTF_8));
      if (!key.isPrivate() || !Curve.P_256.equals(key.getCurve()) || key.getKeyID() == null) {
        throw new IllegalStateException(
            "dev issuer key at " + file + " is not an EC P-256 private JWK with a kid");
      }
      return key;
    } catch (ParseException e) {
      throw new IllegalStateException("dev issuer key at " + file + " is not a valid JWK", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dev issuer key at " + file, e);
    }
  }

  /** A signed ES256 token with iss, aud, sub, groups, iat, nbf, exp and a random jti. */
  static String mint(
      ECKey key,
      String issuer,
      String audience,
      String subject,
      List<String> groups,
      Duration ttl,
      Instant now) {
    Instant issued = now.truncatedTo(ChronoUnit.SECONDS);
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .audience(audience)
            .subject(subject)
            .claim("groups", groups == null ? List.of() : List.copyOf(groups))
            .issueTime(Date.from(issued))
            .notBeforeTime(Date.from(issued))
            .expirationTime(Date.from(issued.plus(ttl)))
            .jwtID(UUID.randomUUID().toString())
            .build();
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.ES256)
            .keyID(key.getKeyID())
            .type(JOSEObjectType.JWT)
            .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(new ECDSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign with the dev issuer key", e);
    }
    return jwt.serialize();
  }

  private static ECKey generate() {
    try {
      ECKey key =
          new ECKeyGenerator(Curve.P_256)
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.ES256)
              .generate();
      // The thumbprint is a stable kid that changes exactly when the key does.
      return new ECKey.Builder(key).keyIDFromThumbprint().build();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate an EC P-256 key", e);
    }
  }

  private static void persist(Path file, ECKey key) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    // Written to a 0600 temporary file and moved into place, so the key is never readable by
    // others, not even half-written.
    Path tmp =
        posix
            ? Files.createTempFile(dir, ".dev-issuer", ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY))
            : Files.createTempFile(dir, ".dev-issuer", ".tmp");
    try {
      Files.writeString(tmp, key.toJSONString(), StandardCharsets.UTF_8);
      try {
        Files.createLink(file, tmp); // unlike a rename, fails if another process won the race
      } catch (UnsupportedOperationException e) {
        Files.move(tmp, file);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void warnIfReadableByOthers(Path file) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")
        && !OWNER_ONLY.containsAll(Files.getPosixFilePermissions(file))) {
      log.warn("dev issuer key at {} is readable by others; expected mode 0600", file);
    }
  }
}
