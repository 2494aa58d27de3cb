package io.portcullis.identity;

import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;

/** Parsing of the compact token form, with refusals that never echo the token. */
final class Tokens {

  private Tokens() {}

  /** Bytes the string takes in UTF-8, without encoding it. */
  static long utf8Length(String s) {
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    return bytes;
  }

  /** The token as a signed JWT, or a refusal that says what it is instead. */
  static SignedJWT parseSigned(String token) throws InvalidTokenException {
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException | RuntimeException e) {
      // Nimbus' parse messages may quote the header, which is part of the token: not forwarded.
      throw new InvalidTokenException("token is not a signed JWT");
    }
    if (jwt instanceof PlainJWT) {
      throw new InvalidTokenException("token is unsigned (alg none), which is never allowed");
    }
    if (jwt instanceof EncryptedJWT) {
      throw new InvalidTokenException("token is encrypted (JWE); expected a signed JWT (JWS)");
    }
    if (jwt instanceof SignedJWT signed) {
      return signed;
    }
    throw new InvalidTokenException("token is not a signed JWT");
  }
}
