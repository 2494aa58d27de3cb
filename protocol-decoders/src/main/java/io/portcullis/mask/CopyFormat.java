package io.portcullis.mask;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/**
 * The textual COPY TO STDOUT format a {@link CopyRowMasker} parses and writes, as the COPY
 * statement's options set it.
 *
 * @param csv CSV format; otherwise PostgreSQL's text format
 * @param delimiter the column delimiter (text: tab, CSV: comma by default)
 * @param nullString how NULL is written (text: {@code \N}, CSV: empty and unquoted by default)
 * @param quote the CSV quote character (ignored for text)
 * @param escape the CSV escape character, by default the quote (ignored for text)
 * @param header whether the first row is a header, passed through unmasked
 */
public record CopyFormat(
    boolean csv, byte delimiter, String nullString, byte quote, byte escape, boolean header) {

  public CopyFormat {
    requireNonNull(nullString, "nullString");
    if (delimiter == '\n' || delimiter == '\r' || delimiter == '\\' && !csv) {
      throw new IllegalArgumentException("delimiter: 0x" + Integer.toHexString(delimiter & 0xFF)
          + " (expected: not a newline, carriage return or, in text format, backslash)");
    }
  }

  /** PostgreSQL's text format: tab, {@code \N}, backslash escapes, no header. */
  public static CopyFormat textDefaults() {
    return new CopyFormat(false, (byte) '\t', "\\N", (byte) '"', (byte) '"', false);
  }

  /** CSV: comma, NULL as an empty unquoted field, {@code "} as quote and escape, no header. */
  public static CopyFormat csvDefaults() {
    return new CopyFormat(true, (byte) ',', "", (byte) '"', (byte) '"', false);
  }

  public CopyFormat withDelimiter(char c) {
    return new CopyFormat(csv, ascii(c, "delimiter"), nullString, quote, escape, header);
  }

  public CopyFormat withNullString(String s) {
    return new CopyFormat(csv, delimiter, s, quote, escape, header);
  }

  public CopyFormat withQuote(char c) {
    return new CopyFormat(csv, delimiter, nullString, ascii(c, "quote"), escape, header);
  }

  public CopyFormat withEscape(char c) {
    return new CopyFormat(csv, delimiter, nullString, quote, ascii(c, "escape"), header);
  }

  public CopyFormat withHeader(boolean h) {
    return new CopyFormat(csv, delimiter, nullString, quote, escape, h);
  }

  byte[] nullBytes() {
    return nullString.getBytes(StandardCharsets.UTF_8);
  }

  private static byte ascii(char c, String what) {
    if (c == 0 || c > 0x7F) {
      throw new IllegalArgumentException(what + ": U+" + Integer.toHexString(c) + " (expected: one ASCII character)");
    }
    return (byte) c;
  }
}
