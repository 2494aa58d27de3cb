package io.portcullis.k8s;

import static java.util.Objects.requireNonNull;

import io.portcullis.config.TargetSettings;
import io.portcullis.document.KubernetesRequest;
import io.portcullis.http.HttpDescribed;
import io.portcullis.http.HttpProtocol;
import io.portcullis.http.HttpRefusal;
import io.portcullis.http.HttpReply;
import io.portcullis.http.HttpRequestHead;
import io.portcullis.protocol.k8s.K8sAttributes;
import io.portcullis.protocol.k8s.K8sRequestException;
import io.portcullis.protocol.k8s.K8sRequestParser;
import io.portcullis.protocol.k8s.KubernetesRequests;
import io.portcullis.protocol.k8s.RequestTarget;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The {@code kubernetes} protocol of the HTTP gateway: a Kubernetes API request becomes a
 * {@link KubernetesRequest} with the attributes the API server authorizes on; the gateway's own
 * answers are Kubernetes {@code Status} objects, which kubectl prints.
 *
 * <p>{@code Impersonate-*} headers never get past the gateway: they are dropped before the policy,
 * the audit log or the API server sees them, so a client acts as the identity its token proves and
 * nothing else. Upgrades (SPDY and WebSocket) are accepted only for {@code pods/exec},
 * {@code pods/attach} and {@code pods/portforward}, which are decided as verb {@code create}; any
 * other upgrade is refused, since the gateway could not inspect or mask what it would relay. Every
 * response, a watch or an exec stream included, ends when the client's token expires.
 */
public final class K8sProtocol implements HttpProtocol {

  private static final String IMPERSONATE = "impersonate-";

  private final String target;

  /** The protocol for one {@code kubernetes} target. */
  public K8sProtocol(TargetSettings target) {
    this.target = requireNonNull(target, "target").name();
  }

  @Override
  public String name() {
    return "kubernetes";
  }

  @Override
  public boolean strips(String name) {
    return name.startsWith(IMPERSONATE);
  }

  @Override
  public HttpDescribed describe(HttpRequestHead head) throws HttpRefusal {
    K8sAttributes attributes;
    RequestTarget requestTarget;
    try {
      requestTarget = target(head);
      attributes = K8sRequestParser.parse(head.method(), requestTarget);
    } catch (K8sRequestException e) {
      throw HttpRefusal.badRequest(e.getMessage());
    }
    boolean upgrade = head.upgrade() != null;
    if (upgrade && attributes.stream() == null) {
      throw HttpRefusal.badRequest("upgrade: " + head.upgrade() + " (expected: only on pods/exec,"
          + " pods/attach and pods/portforward)");
    }
    KubernetesRequest request = KubernetesRequests.of(head.method(), head.rawPath(), attributes);
    // A decision may be reused only for the same request without a body (the policy may read it
    // one day) and never for a stream that starts a process.
    boolean bodiless = head.bodyBytes() != null && head.bodyBytes() == 0;
    String cacheKey = bodiless && !upgrade ? head.method() + " " + requestTarget.render() : null;
    return new HttpDescribed(request, cacheKey, summary(head, attributes), upgrade);
  }

  /**
   * The request's target as the parser reads it: the path as sent, and the query the gateway has
   * decoded. The gateway forwards the query as sent, and the API server (Go) drops any parameter
   * with a {@code ;} in it, so such a query could mean one thing here and another there: refused.
   */
  private static RequestTarget target(HttpRequestHead head) {
    RequestTarget path = RequestTarget.parse(head.rawPath());
    for (Map.Entry<String, List<String>> e : head.query().entrySet()) {
      if (e.getKey().indexOf(';') >= 0 || e.getValue().stream().anyMatch(v -> v.indexOf(';') >= 0)) {
        throw new K8sRequestException("query: ; in parameter " + e.getKey()
            + " (expected: none; the API server would drop the parameter)");
      }
    }
    return new RequestTarget(path.path(), path.segments(), path.trailingSlash(), head.query());
  }

  private static String summary(HttpRequestHead head, K8sAttributes a) {
    if (!a.resourceRequest()) {
      return head.method() + " " + head.path();
    }
    StringBuilder out = new StringBuilder(a.verb()).append(' ').append(a.resource());
    if (!a.subresource().isEmpty()) {
      out.append('/').append(a.subresource());
    }
    if (!a.apiGroup().isEmpty()) {
      out.append('.').append(a.apiGroup());
    }
    out.append(' ');
    if (!a.namespace().isEmpty() && !a.resource().equals("namespaces")) {
      out.append(a.namespace()).append('/');
    }
    out.append(a.name().isEmpty() ? "*" : a.name());
    return out.toString();
  }

  @Override
  public HttpReply reply(int status, String error, List<String> reasons) {
    return new HttpReply(status, "application/json", K8sStatus.failure(status, reasons));
  }

  @Override
  public Instant streamDeadline(HttpDescribed described, Instant tokenExpiresAt) {
    return tokenExpiresAt;
  }

  @Override
  public String toString() {
    return "kubernetes target " + target;
  }
}
