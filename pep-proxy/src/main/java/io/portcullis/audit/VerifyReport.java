package io.portcullis.audit;

import java.util.List;

/**
 * What {@code portcullis audit verify} found.
 *
 * @param ok whether the whole log is intact
 * @param records records read
 * @param checkpoints checkpoints whose signature verified
 * @param firstSeq the first seq, or 0 for an empty log
 * @param lastSeq the last seq, or 0 for an empty log
 * @param lastCheckpointSeq the seq of the last checkpoint in the log, or 0
 * @param signedHeadSeq the seq of the checkpoint in checkpoint.json, or 0 when there is none
 * @param unsignedTail records after the last checkpoint (not yet protected against truncation)
 * @param problems every break found, in log order
 */
public record VerifyReport(
    boolean ok,
    long records,
    long checkpoints,
    long firstSeq,
    long lastSeq,
    long lastCheckpointSeq,
    long signedHeadSeq,
    long unsignedTail,
    List<Problem> problems) {

  /**
   * One break in the log.
   *
   * @param kind {@code edited}, {@code deleted}, {@code reordered}, {@code duplicated},
   *     {@code truncated}, {@code bad_signature}, {@code malformed} or {@code torn}
   * @param location the segment file and line (or database row) where it shows
   * @param seq the seq concerned, or 0
   * @param detail what exactly is wrong
   */
  public record Problem(String kind, String location, long seq, String detail) {
    @Override
    public String toString() {
      return kind + " at " + location + (seq > 0 ? " (seq " + seq + ")" : "") + ": " + detail;
    }
  }
}
