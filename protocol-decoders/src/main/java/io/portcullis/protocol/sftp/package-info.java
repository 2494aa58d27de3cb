/**
 * The SFTP protocol (draft-ietf-secsh-filexfer-02, version 3, as OpenSSH speaks it, with OpenSSH's
 * extensions) as pure codecs: length-prefixed framing with a limit, the client requests that carry
 * a path or a handle, the server replies that name handles, a STATUS and VERSION encoder, and path
 * normalisation.
 *
 * <p>No channels and no session state live here. Decoding is strict (a request must be consumed
 * exactly, strings that name files must be valid UTF-8 without NUL) and never moves the frame's
 * reader index, so what the gateway decides on is exactly what it forwards; every violation is an
 * {@link io.portcullis.protocol.sftp.SftpProtocolException}.
 */
package io.portcullis.protocol.sftp;
