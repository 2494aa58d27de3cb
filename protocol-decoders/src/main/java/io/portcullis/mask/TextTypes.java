package io.portcullis.mask;

/** The type OIDs the masking engine rewrites as text, and those whose values cannot hold a pattern. */
public final class TextTypes {

  public static final int TEXT = 25;
  public static final int VARCHAR = 1043;
  public static final int BPCHAR = 1042;
  public static final int NAME = 19;
  public static final int JSON = 114;
  public static final int JSONB = 3802;
  public static final int XML = 142;
  public static final int UNKNOWN = 705;
  static final int INT8 = 20;
  static final int NUMERIC = 1700;

  private TextTypes() {}

  /**
   * Whether values of this type are rewritten as text: text, varchar, bpchar, name, json, jsonb,
   * xml, unknown. Types with catalog-assigned OIDs (citext, domains over text) are not recognised:
   * pass their base type's OID instead.
   */
  public static boolean isTextual(int typeOid) {
    return switch (typeOid) {
      case TEXT, VARCHAR, BPCHAR, NAME, JSON, JSONB, XML, UNKNOWN -> true;
      default -> false;
    };
  }

  /**
   * Whether a binary-format value of this type can never contain a pattern: bool, int2, int4, oid,
   * float4, float8, date, time, timetz, timestamp, timestamptz, interval, uuid (fixed width, no
   * text inside). int8 and numeric are rendered as decimal digits and scanned; anything else is
   * scanned as raw bytes, since most binary encodings embed their text.
   */
  static boolean cannotHoldPattern(int typeOid) {
    return switch (typeOid) {
      case 16, 21, 23, 26, 700, 701, 1082, 1083, 1266, 1114, 1184, 1186, 2950 -> true;
      default -> false;
    };
  }
}
