/**
 * The PostgreSQL v3 wire protocol as pure codecs: framing, startup packets, and one immutable
 * record per frontend and backend message, named as in the PostgreSQL "Message Formats" chapter.
 *
 * <p>No sockets and no session state live here. Decoding is strict (a payload must be consumed
 * exactly, strings must be valid UTF-8) and never moves the caller's reader index; every violation
 * is a {@link io.portcullis.protocol.pg.PgProtocolException}.
 */
package io.portcullis.protocol.pg;
