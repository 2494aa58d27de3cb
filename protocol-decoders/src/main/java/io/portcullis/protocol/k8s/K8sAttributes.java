package io.portcullis.protocol.k8s;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The attributes of one Kubernetes API request as the API server's {@code RequestInfoFactory}
 * computes them for authorization. Absent strings are empty, as in the API server ({@code ""} is
 * also the core API group and "no namespace").
 *
 * @param resourceRequest whether this is a request for a resource (else a non-resource URL such as
 *     {@code /healthz}, {@code /version} or the {@code /api} and {@code /apis} discovery documents)
 * @param verb for resource requests {@code get}, {@code list}, {@code watch}, {@code create},
 *     {@code update}, {@code patch}, {@code delete}, {@code deletecollection} or {@code proxy} (the
 *     legacy {@code /proxy/} prefix), or empty for an HTTP method the API server does not map; for
 *     non-resource URLs the lower-cased HTTP method
 * @param apiPrefix {@code api} or {@code apis}; empty for non-resource URLs
 * @param apiGroup the API group; empty for the core group and non-resource URLs
 * @param apiVersion the API version ({@code v1}, ...); empty for non-resource URLs
 * @param namespace the namespace; empty for cluster-scoped requests
 * @param resource the resource ({@code pods}, not the kind)
 * @param subresource the subresource ({@code exec}, {@code status}, {@code proxy}, ...)
 * @param name the object's name; for list and watch also a {@code metadata.name} field selector's
 * @param parts the path segments from the resource on ({@code pods/web-1/exec/...})
 * @param fieldSelector the {@code fieldSelector} query parameter of list, watch and
 *     deletecollection, else empty
 * @param labelSelector the {@code labelSelector} of the same, else empty
 * @param stream for {@code pods/exec}, {@code pods/attach} and {@code pods/portforward}, what the
 *     query asks to run or forward; null otherwise
 */
public record K8sAttributes(
    boolean resourceRequest,
    String verb,
    String apiPrefix,
    String apiGroup,
    String apiVersion,
    String namespace,
    String resource,
    String subresource,
    String name,
    List<String> parts,
    String fieldSelector,
    String labelSelector,
    StreamOptions stream) {

  public K8sAttributes {
    requireNonNull(verb, "verb");
    requireNonNull(apiPrefix, "apiPrefix");
    requireNonNull(apiGroup, "apiGroup");
    requireNonNull(apiVersion, "apiVersion");
    requireNonNull(namespace, "namespace");
    requireNonNull(resource, "resource");
    requireNonNull(subresource, "subresource");
    requireNonNull(name, "name");
    parts = List.copyOf(parts);
    requireNonNull(fieldSelector, "fieldSelector");
    requireNonNull(labelSelector, "labelSelector");
  }

  /**
   * What an exec, attach or port-forward request asks for in its query.
   *
   * @param container the {@code container} parameter, or null when absent (the pod's default)
   * @param command every {@code command} parameter in order (exec only; empty otherwise)
   * @param stdin whether standard input is attached
   * @param stdout whether standard output is attached
   * @param stderr whether standard error is attached
   * @param tty whether a terminal is allocated
   * @param ports every port of the {@code ports} parameters (port-forward; empty otherwise, and
   *     empty when the client names its ports in stream headers, as SPDY clients do)
   */
  public record StreamOptions(String container, List<String> command, boolean stdin, boolean stdout,
      boolean stderr, boolean tty, List<Integer> ports) {
    public StreamOptions {
      command = List.copyOf(command);
      ports = List.copyOf(ports);
    }
  }
}
