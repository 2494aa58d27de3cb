package io.portcullis.protocol.sftp;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A server-to-client SFTP packet, decoded as far as the gateway needs to track handles and read
 * the answers to its own requests.
 */
public sealed interface SftpServerMessage {

  /** {@code SSH_FXP_VERSION} with its extension names, in order. */
  record Version(long version, List<String> extensions) implements SftpServerMessage {
    public Version {
      extensions = List.copyOf(extensions);
    }
  }

  /** {@code SSH_FXP_HANDLE}: the handle for the OPEN or OPENDIR of request {@code id}. */
  record Handle(long id, String handle) implements SftpServerMessage {
    public Handle {
      requireNonNull(handle, "handle");
    }
  }

  /** {@code SSH_FXP_STATUS}: the code (the message and language tag are not kept). */
  record Status(long id, long code) implements SftpServerMessage {
  }

  /** {@code SSH_FXP_NAME}: the file names (long names and attributes are not kept). */
  record Name(long id, List<String> names) implements SftpServerMessage {
    public Name {
      names = List.copyOf(names);
    }
  }

  /** Any other reply ({@code DATA}, {@code ATTRS}, {@code EXTENDED_REPLY}, ...), by type and id. */
  record Other(int type, long id) implements SftpServerMessage {
  }

  /** The request id this answers, or -1 for VERSION. */
  default long requestId() {
    return switch (this) {
      case Version v -> -1;
      case Handle h -> h.id();
      case Status s -> s.id();
      case Name n -> n.id();
      case Other o -> o.id();
    };
  }
}
