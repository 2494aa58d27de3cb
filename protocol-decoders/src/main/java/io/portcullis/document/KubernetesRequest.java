package io.portcullis.document;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A Kubernetes API request, with the attributes the API server authorizes on.
 *
 * @param kind always {@code kubernetes}
 * @param verb {@code get}, {@code list}, {@code watch}, {@code create}, {@code update},
 *     {@code patch}, {@code delete}, {@code deletecollection}, {@code proxy} (legacy prefix), or for
 *     a non-resource URL the lower-cased HTTP method; exec, attach and portforward are {@code create}
 * @param apiGroup the API group, empty for the core group
 * @param apiVersion the API version, empty for non-resource URLs
 * @param resource the resource ({@code pods}), empty for non-resource URLs
 * @param subresource the subresource ({@code exec}, {@code log}, {@code proxy}, ...), or empty
 * @param namespace the namespace, empty for cluster-scoped requests
 * @param name the object's name, or empty for collections
 * @param container for exec and attach, the container asked for, or null (the pod's default)
 * @param command for exec, the command and its arguments; empty otherwise
 * @param stdin for exec and attach, whether standard input is attached
 * @param stdout for exec and attach, whether standard output is attached
 * @param stderr for exec and attach, whether standard error is attached
 * @param tty for exec and attach, whether a terminal is allocated
 * @param ports for portforward, the ports named in the query (SPDY clients name them later, in
 *     stream headers the gateway does not read); empty otherwise
 * @param method the HTTP method
 * @param path the request's path as sent, without the query
 * @param resourceRequest whether this is an API resource request (false for {@code /healthz},
 *     {@code /version}, {@code /openapi/...} and the discovery documents {@code /api} and
 *     {@code /apis/...})
 * @param fieldSelector for list, watch and deletecollection, the field selector, else empty
 * @param labelSelector for list, watch and deletecollection, the label selector, else empty
 */
public record KubernetesRequest(
    String kind,
    String verb,
    String apiGroup,
    String apiVersion,
    String resource,
    String subresource,
    String namespace,
    String name,
    String container,
    List<String> command,
    Boolean stdin,
    Boolean stdout,
    Boolean stderr,
    Boolean tty,
    List<Integer> ports,
    String method,
    String path,
    boolean resourceRequest,
    String fieldSelector,
    String labelSelector)
    implements ProtocolRequest {

  /** The value of {@link #kind()}. */
  public static final String KIND = "kubernetes";

  public KubernetesRequest {
    requireNonNull(kind, "kind");
    requireNonNull(verb, "verb");
    requireNonNull(apiGroup, "apiGroup");
    requireNonNull(apiVersion, "apiVersion");
    requireNonNull(resource, "resource");
    requireNonNull(subresource, "subresource");
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
    command = List.copyOf(command);
    ports = List.copyOf(ports);
    requireNonNull(method, "method");
    requireNonNull(path, "path");
    requireNonNull(fieldSelector, "fieldSelector");
    requireNonNull(labelSelector, "labelSelector");
  }

}
