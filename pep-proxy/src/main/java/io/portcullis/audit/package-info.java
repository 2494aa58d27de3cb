/**
 * The audit log: a protocol-neutral, hash-chained, signed record of every session, request,
 * response and approval, with an embedded store (segment files) and a PostgreSQL store.
 *
 * <h2>Record format</h2>
 * Each record is one line of canonical JSON: {@code {"event":{"kind":...},"hash":...,
 * "prev":...,"seq":...,"ts":...}}. {@code seq} starts at 1 and grows by one; {@code prev} is the
 * previous record's {@code hash} (64 zeros for seq 1).
 *
 * <h2>Canonical JSON</h2>
 * UTF-8; no whitespace outside strings; object keys sorted ascending by UTF-16 code units
 * (Java's {@code String.compareTo}), at every depth; array order kept; strings escape only
 * {@code "}, {@code \} and U+0000..U+001F ({@code \b \t \n \f \r}, others as backslash-u and four uppercase hex digits),
 * everything else is written as is; integers in plain decimal; floating-point numbers in Java's
 * shortest round-trip form; {@code null}, {@code true}, {@code false}; null fields are kept.
 *
 * <h2>Hash</h2>
 * {@code hash = lowercase hex of SHA-256(prev as 32 raw bytes || seq as 8 bytes big-endian ||
 * canonical JSON of the record without its "hash" key)}.
 *
 * <h2>Checkpoints</h2>
 * A checkpoint is a record of kind {@code checkpoint} whose Ed25519 signature covers the UTF-8
 * bytes of {@code "portcullis-audit-checkpoint-v1\n" + covers_seq + "\n" + covers_hash}, where
 * {@code covers_seq = seq - 1} and {@code covers_hash = prev}. The latest checkpoint is also kept
 * in {@code checkpoint.json} beside the segments, so a log cut after it is detected.
 */
package io.portcullis.audit;
