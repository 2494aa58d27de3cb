/**
 * The masking engine: pure rewriting of result values (DataRow and COPY TO STDOUT rows) by column
 * rules and data patterns, with no sockets and no policy calls.
 *
 * <p>{@link io.portcullis.mask.RowMasker} and {@link io.portcullis.mask.CopyRowMasker} take a plan
 * of one {@link io.portcullis.mask.ColumnMask} per result column and rewrite whole frames. Both are
 * stateful (scratch buffers, an HMAC instance, a counter) and belong to one connection's event loop.
 */
package io.portcullis.mask;
