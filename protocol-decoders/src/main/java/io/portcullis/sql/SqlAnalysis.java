package io.portcullis.sql;

import io.portcullis.document.SqlStatement;
import java.util.List;

/**
 * What a SQL text does.
 *
 * @param statements one analysis per statement, in order
 * @param fingerprint the fingerprint hash, or null when the text was not fingerprinted
 * @param normalized the fingerprint's normalised text (no literal values), or null
 * @param fromCache whether the analysis was reused from an earlier text with the same fingerprint
 */
public record SqlAnalysis(List<SqlStatement> statements, String fingerprint, String normalized,
    boolean fromCache) {

  public SqlAnalysis {
    statements = List.copyOf(statements);
  }
}
