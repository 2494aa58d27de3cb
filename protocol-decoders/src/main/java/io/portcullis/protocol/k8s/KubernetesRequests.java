package io.portcullis.protocol.k8s;

import static java.util.Objects.requireNonNull;

import io.portcullis.document.KubernetesRequest;
import io.portcullis.protocol.k8s.K8sAttributes.StreamOptions;
import java.util.List;

/** Builds the request document's {@code request} part for a Kubernetes API request. */
public final class KubernetesRequests {

  private KubernetesRequests() {}

  /**
   * The document for a request, parsing its target.
   *
   * @param method the HTTP method
   * @param rawTarget the request target as sent ({@code /api/v1/pods?watch=1})
   * @throws K8sRequestException when the target is ambiguous or malformed
   */
  public static KubernetesRequest of(String method, String rawTarget) {
    requireNonNull(rawTarget, "rawTarget");
    K8sAttributes a = K8sRequestParser.parse(method, rawTarget);
    int q = rawTarget.indexOf('?');
    return of(method, q < 0 ? rawTarget : rawTarget.substring(0, q), a);
  }

  /** The document for a request already parsed into its attributes. */
  public static KubernetesRequest of(String method, String rawPath, K8sAttributes a) {
    requireNonNull(a, "a");
    StreamOptions s = a.stream();
    boolean attaches = s != null && !a.subresource().equals("portforward");
    return new KubernetesRequest(KubernetesRequest.KIND, a.verb(), a.apiGroup(), a.apiVersion(),
        a.resource(), a.subresource(), a.namespace(), a.name(),
        attaches ? s.container() : null,
        s == null ? List.of() : s.command(),
        attaches ? s.stdin() : null,
        attaches ? s.stdout() : null,
        attaches ? s.stderr() : null,
        attaches ? s.tty() : null,
        s == null ? List.of() : s.ports(),
        method, rawPath, a.resourceRequest(), a.fieldSelector(), a.labelSelector());
  }
}
