package io.portcullis.document;

/**
 * The protocol-specific {@code request} part of the request document. Each protocol adds one
 * record here, so that every consumer must handle it.
 */
public sealed interface ProtocolRequest permits SqlRequest, SshRequest, HttpRequest, KubernetesRequest {

  /** What kind of request this is ({@code sql}, {@code exec}, {@code shell}, ...). */
  String kind();
}
