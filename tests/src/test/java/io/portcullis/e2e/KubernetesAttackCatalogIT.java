package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.it.fixture.FakeKubeApiServer;
import io.portcullis.it.fixture.FakeKubeApiServer.Seen;
import io.portcullis.it.fixture.GatewayFixture;
import io.portcullis.it.fixture.Kubectl;
import io.portcullis.it.fixture.OpaServer;
import io.portcullis.it.fixture.Processes;
import io.portcullis.it.fixture.Repo;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Kubernetes attack catalogue: impersonation, proxy subresources in every spelling, the
 * legacy watch prefix, odd casing, dot segments and encoded slashes, deletecollection, exec by
 * every route, dryRun and patch tricks, and ways around Secret masking, sent with the real kubectl
 * or raw HTTP (curl) through the gateway to the fake API server. The fake server's request log is
 * the witness: for each row the requests it added are judged against what the default policy
 * forbids (any request at all for a denied row; for every row an {@code Impersonate-*} header, a
 * credential other than the gateway's, a proxy subresource, anything in {@code kube-system}, a
 * Secret asked for in another media type than JSON), and every answer is searched for the Secret's
 * value. The figure, "requests that policy forbids which reached the target", must be 0.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesAttackCatalogIT {

  private static final String GATEWAY_TOKEN = "gateway-only-credential-7d2e";
  private static final String SECRET_VALUE = "s3cr3t-catalogue-password";
  private static final String SECRET_B64 = Base64.getEncoder().encodeToString(SECRET_VALUE.getBytes(StandardCharsets.UTF_8));
  /** Requests kubectl makes before its own: discovery, always readable. */
  private static final Set<String> DISCOVERY = Set.of("/api", "/apis", "/api/v1", "/apis/apps/v1", "/version");

  private static FakeKubeApiServer fake;
  private static OpaServer opa;
  private static GatewayFixture gw;
  private static Path dir;
  private static String server;

  /** What a row expects of the gateway. */
  enum Verdict {
    /** Refused (a 4xx/5xx status or kubectl failing): nothing but discovery may reach the server. */
    DENIED,
    /** Let through; the global witness checks still apply. */
    ALLOWED,
    /** Either, as long as no forbidden request reaches the server and no Secret value comes back. */
    EITHER
  }

  /** Runs a row's payload with the caller's kubectl and token; returns what it printed and its status. */
  @FunctionalInterface
  interface Action {
    Outcome run(Kubectl kubectl, String token) throws Exception;
  }

  /** The HTTP status (0 for kubectl: its exit code decides) and everything printed. */
  record Outcome(int status, int exitCode, String output) {
    boolean refused() {
      return status == 0 ? exitCode != 0 : status >= 400;
    }
  }

  /**
   * One row. {@code forbids} says which requests the server may not see for it; null means, for a
   * denied row, any request but discovery (kubectl rows that read before they write name theirs).
   */
  record Row(int no, String what, List<String> groups, Verdict verdict, Action action, Predicate<Seen> forbids) {
    @Override
    public String toString() {
      return "k8s_%03d %s".formatted(no, what);
    }
  }

  /** What a row saw: the outcome, the requests the server received, the forbidden ones, a leak. */
  record Result(Outcome outcome, List<Seen> reached, List<String> forbidden, boolean leaked) {}

  private static final Map<Integer, Result> results = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    fake = FakeKubeApiServer.start();
    seed();
    dir = Files.createTempDirectory("portcullis-k8s-attacks-");
    Processes.check(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
        "ec_paramgen_curve:P-256", "-nodes", "-keyout", dir.resolve("gw.key").toString(), "-out",
        dir.resolve("gw.crt").toString(), "-days", "1", "-subj", "/CN=portcullis-test",
        "-addext", "subjectAltName=IP:127.0.0.1"), Duration.ofSeconds(30));
    Files.writeString(dir.resolve("kube-token"), GATEWAY_TOKEN + "\n");
    opa = new OpaServer(Repo.root().resolve("policies")).start();
    gw = GatewayFixture.startWithoutPostgres("url: " + opa.url() + "\n  timeout_ms: 1000", """
          - {name: prod-cluster, protocol: kubernetes, listen: "127.0.0.1:0", url: "%s", ca_file: "%s", bearer_token_file: "%s", tls: {cert_file: "%s", key_file: "%s"}}
        """.formatted(fake.url(), fake.caFile(), dir.resolve("kube-token"), dir.resolve("gw.crt"),
        dir.resolve("gw.key")), """
        http:
          approval_wait_s: 3
        """);
    server = "https://127.0.0.1:" + gw.gateway().httpPort("prod-cluster");
  }

  private static void seed() {
    for (String[] p : new String[][] {{"dev", "web-1"}, {"prod", "p"}, {"kube-system", "etcd"}}) {
      assertThat(fake.create("/api/v1/namespaces/" + p[0] + "/pods", """
          {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"%s"},
           "spec":{"containers":[{"name":"app","image":"nginx"}]},"status":{"phase":"Running"}}"""
          .formatted(p[1], p[0]))).isLessThan(300);
    }
    for (String[] d : new String[][] {{"prod", "api"}, {"prod", "api2"}, {"kube-system", "coredns"}}) {
      assertThat(fake.create("/apis/apps/v1/namespaces/" + d[0] + "/deployments", """
          {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s","namespace":"%s"},
           "spec":{"replicas":1,"selector":{"matchLabels":{"app":"%s"}},
            "template":{"metadata":{"labels":{"app":"%s"}},"spec":{"containers":[{"name":"app","image":"nginx"}]}}}}"""
          .formatted(d[1], d[0], d[1], d[1]))).isLessThan(300);
    }
    for (String ns : List.of("prod", "kube-system")) {
      assertThat(fake.create("/api/v1/namespaces/" + ns + "/secrets", """
          {"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"%s"},
           "type":"Opaque","data":{"password":"%s"}}""".formatted(ns, SECRET_B64))).isLessThan(300);
    }
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (opa != null) {
      opa.close();
    }
    if (fake != null) {
      fake.close();
    }
  }

  private static final List<String> R = List.of("readers");
  private static final List<String> AG = List.of("agents");
  private static final List<String> DEP = List.of("deployers");
  private static final List<String> SRE = List.of("sre");

  static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    Builder b = new Builder(rows);
    String pods = "/api/v1/namespaces/dev/pods";
    // ---- impersonation ----
    b.curl("Impersonate-User: admin", R, Verdict.EITHER, "GET", pods, "-H", "Impersonate-User: admin");
    b.curl("Impersonate-Group: system:masters", R, Verdict.EITHER, "GET", pods, "-H", "Impersonate-User: admin",
        "-H", "Impersonate-Group: system:masters");
    b.curl("Impersonate-Uid", R, Verdict.EITHER, "GET", pods, "-H", "Impersonate-Uid: 0");
    b.curl("Impersonate-Extra-scopes", R, Verdict.EITHER, "GET", pods, "-H", "Impersonate-Extra-scopes: cluster-admin");
    b.curl("impersonate-user in lower case", R, Verdict.EITHER, "GET", pods, "-H", "impersonate-user: admin");
    b.kubectl("--as=admin --as-group=system:masters into kube-system", R, Verdict.DENIED,
        "--as=admin", "--as-group=system:masters", "get", "secrets", "-n", "kube-system");
    b.kubectl("--as a service account", R, Verdict.EITHER, "--as=system:serviceaccount:kube-system:default",
        "get", "pods", "-n", "dev");
    // ---- proxy subresources in every spelling (as an admin, whom only the proxy rule stops) ----
    for (String path : List.of("/api/v1/nodes/x/proxy", "/api/v1/nodes/x/proxy/", "/api/v1/nodes/x:10250/proxy/metrics",
        "/api/v1/namespaces/prod/pods/p:8080/proxy/", "/api/v1/namespaces/prod/pods/https:p:443/proxy/x",
        "/api/v1/namespaces/prod/services/https:svc:443/proxy/", "/api/v1/namespaces/prod/services/svc/proxy",
        "/api/v1/proxy/namespaces/prod/pods/p", "/api/v1/proxy/nodes/x",
        "/api/v1/namespaces/prod/pods/p/%70roxy/", "/api/v1/namespaces/prod/pods/p/proxy%2Fx",
        "/api/v1/namespaces/prod/pods/p%2Fproxy")) {
      b.curl("proxy " + path, SRE, Verdict.DENIED, "GET", path);
    }
    b.kubectl("kubectl get --raw a node proxy", SRE, Verdict.DENIED, "get", "--raw", "/api/v1/nodes/x/proxy/configz");
    // ---- the legacy watch prefix and watch parameters on Secrets ----
    b.curl("/api/v1/watch/namespaces/prod/secrets", R, Verdict.DENIED, "GET", "/api/v1/watch/namespaces/prod/secrets?timeoutSeconds=1");
    b.curl("/api/v1/watch/secrets", R, Verdict.DENIED, "GET", "/api/v1/watch/secrets?timeoutSeconds=1");
    b.curl("/api/v1/watch/namespaces/prod/secrets/db", R, Verdict.DENIED, "GET", "/api/v1/watch/namespaces/prod/secrets/db?timeoutSeconds=1");
    b.curl("?watch=1 on secrets", R, Verdict.DENIED, "GET", "/api/v1/namespaces/prod/secrets?watch=1&timeoutSeconds=1");
    b.curl("?watch=True on secrets", R, Verdict.DENIED, "GET", "/api/v1/namespaces/prod/secrets?watch=True&timeoutSeconds=1");
    // Decided as the API server reads it (the first value, Go's Convert_Slice_string_To_bool): a masked list.
    b.curl("?watch=false&watch=true on secrets", R, Verdict.EITHER, "GET",
        "/api/v1/namespaces/prod/secrets?watch=false&watch=true&timeoutSeconds=1");
    // The API server authorizes watch=yes as a list (strconv.ParseBool fails) but serves a watch
    // (Convert_Slice_string_To_bool): the gateway reads it as the handler does.
    b.curl("?watch=yes on secrets", R, Verdict.DENIED, "GET", "/api/v1/namespaces/prod/secrets?watch=yes&timeoutSeconds=1");
    b.curl("?%77atch=true on secrets", R, Verdict.DENIED, "GET", "/api/v1/namespaces/prod/secrets?%77atch=true&timeoutSeconds=1");
    // ---- odd casing, trailing slashes, dot segments, encoded slashes (into kube-system) ----
    for (String path : List.of("/APIS/apps/v1/namespaces/kube-system/deployments",
        "/apis/Apps/v1/namespaces/kube-system/deployments", "/apis/apps/V1/namespaces/kube-system/deployments",
        "/apis/apps/v1/namespaces/kube-system/deployments/", "/apis/apps/v1/namespaces/kube-system/deployments//",
        "/api/v1/namespaces/kube-system//pods", "/api/v1/namespaces/dev/../kube-system/pods",
        "/api/v1/namespaces/dev/%2e%2e/kube-system/pods", "/api/v1/namespaces/dev/./../kube-system/secrets",
        "/api/v1/namespaces/kube-system%2Fpods", "/api/v1/namespaces/dev/pods/..%2f..%2fkube-system%2fsecrets",
        "/api/v1/namespaces/Kube-System/secrets", "/api/v1/namespaces/kube%2Dsystem/secrets",
        "/api/v1/namespaces/dev%00/../kube-system/secrets", "/api/v1//namespaces/kube-system/secrets",
        "/api/v1/namespaces/kube-system/secrets?pretty=1%26x")) {
      b.curl("path " + path, R, Verdict.DENIED, "GET", path);
    }
    // ---- deletecollection ----
    b.curl("DELETE on a collection in prod (deployer)", DEP, Verdict.DENIED, "DELETE", "/apis/apps/v1/namespaces/prod/deployments");
    b.curl("DELETE on a collection with a label selector (agent)", AG, Verdict.DENIED, "DELETE",
        "/api/v1/namespaces/prod/pods?labelSelector=app%3Dapi");
    b.curl("DELETE on a collection with a trailing slash (agent)", AG, Verdict.DENIED, "DELETE",
        "/apis/apps/v1/namespaces/prod/deployments/");
    b.curl("DELETE cluster-wide pods (agent)", AG, Verdict.DENIED, "DELETE", "/api/v1/pods");
    b.kubectlForbidding("kubectl delete --all in prod (agent): its list is a read", AG, Verdict.DENIED,
        r -> r.method().equals("DELETE"), "delete", "deployments", "--all", "-n", "prod");
    // ---- exec by every route ----
    String exec = "/api/v1/namespaces/dev/pods/web-1/exec";
    b.curl("exec by POST, denied command", R, Verdict.DENIED, "POST", exec + "?command=sh&command=-c&command=id&container=app&stdout=true");
    b.curl("exec by GET, denied command", R, Verdict.DENIED, "GET", exec + "?command=sh&command=-c&command=id&container=app&stdout=true");
    b.curl("exec by WebSocket upgrade, denied command", R, Verdict.DENIED, "GET",
        exec + "?command=sh&command=-c&command=id&container=app&stdout=true", "-H", "Connection: Upgrade",
        "-H", "Upgrade: websocket", "-H", "Sec-WebSocket-Version: 13", "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "-H", "Sec-WebSocket-Protocol: v5.channel.k8s.io", "--http1.1");
    b.curl("exec by SPDY upgrade, denied command", R, Verdict.DENIED, "POST",
        exec + "?command=sh&command=-c&command=id&container=app&stdout=true", "-H", "Connection: Upgrade",
        "-H", "Upgrade: SPDY/3.1", "-H", "X-Stream-Protocol-Version: v4.channel.k8s.io", "--http1.1");
    b.curl("exec: an allowed command with one appended", R, Verdict.DENIED, "POST", exec + "?command=ls&container=app&command=;id");
    b.curl("exec: an allowed command then sh", R, Verdict.DENIED, "POST", exec + "?command=ls&container=app&command=sh");
    // The API server takes the first value too (Convert_Slice_string_To_string): container app.
    b.curl("exec: container twice", R, Verdict.EITHER, "POST", exec + "?command=ls&container=app&container=sidecar");
    b.curl("exec: no container (the default one)", R, Verdict.DENIED, "POST", exec + "?command=sh");
    b.curl("exec: encoded command name", R, Verdict.DENIED, "POST", exec + "?%63ommand=sh&command=ls&container=app");
    b.curl("exec: EXEC in capitals", R, Verdict.DENIED, "POST", "/api/v1/namespaces/dev/pods/web-1/EXEC?command=sh&container=app");
    b.curl("exec: in kube-system", R, Verdict.DENIED, "POST", "/api/v1/namespaces/kube-system/pods/etcd/exec?command=ls&container=app");
    b.kubectlForbidding("kubectl exec -- sh -c: its get of the pod is a read", R, Verdict.DENIED,
        r -> r.path().contains("/exec"), "exec", "web-1", "-n", "dev", "-c", "app", "--", "sh", "-c", "touch /tmp/x");
    b.curl("attach by POST", R, Verdict.DENIED, "POST", "/api/v1/namespaces/dev/pods/web-1/attach?container=app&stdin=true");
    b.curl("portforward by POST", R, Verdict.DENIED, "POST", "/api/v1/namespaces/dev/pods/web-1/portforward?ports=22");
    // ---- dryRun tricks: a dry run is still decided as the verb it is ----
    b.curl("delete in prod with dryRun=All (agent)", AG, Verdict.DENIED, "DELETE", "/apis/apps/v1/namespaces/prod/deployments/api?dryRun=All");
    b.curl("delete with dryRun twice (agent)", AG, Verdict.DENIED, "DELETE", "/apis/apps/v1/namespaces/prod/deployments/api?dryRun=All&dryRun=");
    b.kubectl("kubectl delete --dry-run=server (agent)", AG, Verdict.DENIED, "delete", "deployment", "api", "-n", "prod", "--dry-run=server");
    b.curl("create a Secret with dryRun=All (agent)", AG, Verdict.DENIED, "POST", "/api/v1/namespaces/dev/secrets?dryRun=All",
        "-H", "Content-Type: application/json", "--data", "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"x\"}}");
    // ---- patch types ----
    b.curl("JSON patch of a Secret (agent)", AG, Verdict.DENIED, "PATCH", "/api/v1/namespaces/prod/secrets/db",
        "-H", "Content-Type: application/json-patch+json", "--data", "[{\"op\":\"replace\",\"path\":\"/data/password\",\"value\":\"eA==\"}]");
    b.curl("merge patch of a deployment in kube-system (agent)", AG, Verdict.DENIED, "PATCH",
        "/apis/apps/v1/namespaces/kube-system/deployments/coredns", "-H", "Content-Type: application/merge-patch+json",
        "--data", "{\"spec\":{\"replicas\":0}}");
    b.curl("strategic merge patch by a reader", R, Verdict.DENIED, "PATCH", "/apis/apps/v1/namespaces/prod/deployments/api",
        "-H", "Content-Type: application/strategic-merge-patch+json", "--data", "{\"spec\":{\"replicas\":0}}");
    b.curl("server-side apply by a reader", R, Verdict.DENIED, "PATCH",
        "/apis/apps/v1/namespaces/prod/deployments/api?fieldManager=x&force=true", "-H", "Content-Type: application/apply-patch+yaml",
        "--data", "spec:\n  replicas: 0\n");
    b.curl("PUT of a deployment by a reader", R, Verdict.DENIED, "PUT", "/apis/apps/v1/namespaces/prod/deployments/api",
        "-H", "Content-Type: application/json", "--data", "{}");
    b.curl("X-HTTP-Method-Override: DELETE on a GET (agent)", AG, Verdict.EITHER, "GET",
        "/apis/apps/v1/namespaces/prod/deployments/api", "-H", "X-HTTP-Method-Override: DELETE");
    // ---- Secrets: lists, watches, other media types ----
    b.kubectl("get secrets -o yaml", R, Verdict.ALLOWED, "get", "secrets", "-n", "prod", "-o", "yaml");
    b.kubectl("get secret -o jsonpath of the value", R, Verdict.ALLOWED, "get", "secret", "db", "-n", "prod", "-o",
        "jsonpath={.data.password}");
    b.kubectl("get secret -o go-template", R, Verdict.ALLOWED, "get", "secret", "db", "-n", "prod", "-o",
        "go-template={{.data.password}}");
    b.kubectl("get secrets, the server-side table", R, Verdict.ALLOWED, "get", "secrets", "-n", "prod");
    b.kubectlForbidding("get secrets -w: its first list is a masked read", R, Verdict.DENIED,
        r -> r.path().contains("watch"), "get", "secrets", "-n", "prod", "-w", "--request-timeout=3s");
    b.kubectl("get secrets -A", R, Verdict.DENIED, "get", "secrets", "-A");
    b.curl("Accept: protobuf on a Secret", R, Verdict.EITHER, "GET", "/api/v1/namespaces/prod/secrets/db",
        "-H", "Accept: application/vnd.kubernetes.protobuf");
    b.curl("Accept: protobuf, JSON q=0 on the list", R, Verdict.EITHER, "GET", "/api/v1/namespaces/prod/secrets",
        "-H", "Accept: application/vnd.kubernetes.protobuf, application/json;q=0");
    b.curl("Accept: Table with includeObject=Object", R, Verdict.EITHER, "GET",
        "/api/v1/namespaces/prod/secrets?includeObject=Object", "-H", "Accept: application/json;as=Table;v=v1;g=meta.k8s.io");
    b.curl("Accept: yaml", R, Verdict.EITHER, "GET", "/api/v1/namespaces/prod/secrets/db", "-H", "Accept: application/yaml");
    b.curl("Accept-Encoding: gzip", R, Verdict.EITHER, "GET", "/api/v1/namespaces/prod/secrets", "-H", "Accept-Encoding: gzip",
        "--compressed");
    b.curl("Secret by a trailing slash", R, Verdict.EITHER, "GET", "/api/v1/namespaces/prod/secrets/db/");
    // No such resource on a real API server (names are case-sensitive): a 404, nothing to mask.
    b.curl("SECRETS in capitals", R, Verdict.EITHER, "GET", "/api/v1/namespaces/prod/SECRETS/db");
    b.curl("Secret by an encoded name", R, Verdict.EITHER, "GET", "/api/v1/namespaces/prod/secrets/d%62");
    b.curl("Secrets via a list of all namespaces", R, Verdict.DENIED, "GET", "/api/v1/secrets");
    b.curl("Secret read via /apis/v1", R, Verdict.EITHER, "GET", "/apis//v1/namespaces/prod/secrets/db");
    // ---- controls ----
    b.kubectl("control: a reader lists pods", R, Verdict.ALLOWED, "get", "pods", "-n", "dev");
    b.kubectl("control: an allowed exec reaches the server", R, Verdict.EITHER, "exec", "web-1", "-n", "dev", "-c", "app", "--", "ls");
    return rows;
  }

  /** Numbers rows as they are added. */
  private static final class Builder {
    private final List<Row> rows;

    Builder(List<Row> rows) {
      this.rows = rows;
    }

    void kubectl(String what, List<String> groups, Verdict verdict, String... args) {
      kubectlForbidding(what, groups, verdict, null, args);
    }

    void kubectlForbidding(String what, List<String> groups, Verdict verdict, Predicate<Seen> forbids, String... args) {
      rows.add(new Row(rows.size() + 1, what, groups, verdict, (kubectl, token) -> {
        Processes.Result r = kubectl.run(Duration.ofSeconds(20), args);
        return new Outcome(0, r.exitCode(), r.output());
      }, forbids));
    }

    void curl(String what, List<String> groups, Verdict verdict, String method, String path, String... more) {
      rows.add(new Row(rows.size() + 1, what, groups, verdict, (kubectl, token) -> {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--path-as-is", "--max-time", "10", "--cacert",
            dir.resolve("gw.crt").toString(), "-H", "Authorization: Bearer " + token, "-X", method,
            "-w", "\n%{http_code}"));
        command.addAll(List.of(more));
        command.add(server + path);
        Processes.Result r = Processes.run(command, Map.of(), null, Duration.ofSeconds(20));
        String out = r.stdout().strip();
        String code = out.substring(out.lastIndexOf('\n') + 1).strip();
        int status = code.matches("\\d{3}") ? Integer.parseInt(code) : 0;
        // curl's own failure (a reset, a closed upgrade) counts as refused.
        return new Outcome(status == 0 ? 0 : status, status == 0 ? 1 : 0, r.output());
      }, null));
    }
  }

  @Order(1)
  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void eachAttackGetsItsVerdict(Row row) throws Exception {
    String subject = "k8s-attacker-" + row.no();
    String token = gw.token(subject, row.groups().toArray(String[]::new));
    Kubectl kubectl = Kubectl.configure(server, dir.resolve("gw.crt"), token);
    int before = fake.requests().size();
    Outcome outcome = row.action().run(kubectl, token);
    Thread.sleep(100);
    List<Seen> all = fake.requests();
    List<Seen> reached = all.subList(Math.min(before, all.size()), all.size());
    List<String> forbidden = new ArrayList<>();
    for (Seen r : reached) {
      String why = forbidden(row, r);
      if (why != null) {
        forbidden.add(why + ": " + r.method() + " " + r.path());
      }
    }
    boolean leaked = outcome.output().contains(SECRET_VALUE) || outcome.output().contains(SECRET_B64);
    results.put(row.no(), new Result(outcome, List.copyOf(reached), forbidden, leaked));
    assertThat(forbidden).as("forbidden requests that reached the API server; client saw: %s", head(outcome.output())).isEmpty();
    assertThat(leaked).as("the Secret's value in the answer: %s", head(outcome.output())).isFalse();
    switch (row.verdict()) {
      case DENIED -> assertThat(outcome.refused()).as("refused; client saw: %s", head(outcome.output())).isTrue();
      case ALLOWED -> assertThat(outcome.refused()).as("allowed; client saw: %s", head(outcome.output())).isFalse();
      case EITHER -> { }
    }
  }

  /** Why a request the fake server received is one the policy forbids for this row, or null. */
  private static String forbidden(Row row, Seen r) {
    String bare = r.path().contains("?") ? r.path().substring(0, r.path().indexOf('?')) : r.path();
    String decoded = URLDecoder.decode(bare.replace("+", "%2B"), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    if (r.headers().keySet().stream().anyMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("impersonate-"))) {
      return "an Impersonate-* header";
    }
    if (!("Bearer " + GATEWAY_TOKEN).equals(r.header("Authorization"))) {
      return "a credential other than the gateway's";
    }
    boolean discovery = "GET".equals(r.method()) && (DISCOVERY.contains(bare) || bare.startsWith("/openapi"));
    if (discovery) {
      return null;
    }
    if (row.forbids() != null && row.forbids().test(r)) {
      return "a request this row's policy forbids";
    }
    if (row.forbids() == null && row.verdict() == Verdict.DENIED) {
      return "a request of a row the policy denies";
    }
    String exact = URLDecoder.decode(bare.replace("+", "%2B"), StandardCharsets.UTF_8);
    if (exact.matches(".*/proxy(/.*)?$") || exact.startsWith("/api/v1/proxy/")) {
      return "a proxy subresource";
    }
    if (decoded.contains("kube-system")) {
      return "kube-system, which no reader may read";
    }
    if (exact.contains("/secrets")) {
      String accept = r.header("Accept");
      if (!"application/json".equals(accept)) {
        return "a Secret asked for as " + accept;
      }
      String watch = io.portcullis.protocol.k8s.RequestTarget.parse(r.path()).first("watch");
      if (watch != null && !watch.equals("0") && !watch.equalsIgnoreCase("false") || decoded.contains("/watch/")) {
        return "a watch of Secrets";
      }
    }
    String query = r.path().contains("?") ? r.path().substring(r.path().indexOf('?')) : "";
    boolean listedExec = decoded.endsWith("/exec") && query.matches("\\?command=ls(&command=-l)?&container=app.*");
    if (!Set.of("GET", "HEAD").contains(r.method()) && row.groups().equals(R) && !listedExec) {
      return "a reader's " + r.method();
    }
    if ("DELETE".equals(r.method()) && decoded.contains("/namespaces/prod/") && row.groups().equals(AG)) {
      return "an agent's delete in prod";
    }
    if (decoded.endsWith("/exec") && !listedExec) {
      return "an exec of a command not on the list";
    }
    return null;
  }

  private static String head(String text) {
    String flat = text.replace("\r", "").replace("\n", " | ");
    return flat.length() > 400 ? flat.substring(0, 400) + "..." : flat;
  }

  @Order(2)
  @Test
  void theApiServerSawNoRequestThePolicyForbids() {
    List<Row> rows = rows();
    assertThat(results).as("every row ran first").hasSize(rows.size());
    List<String> reached = new ArrayList<>();
    List<String> leaked = new ArrayList<>();
    int refused = 0;
    for (Row row : rows) {
      Result r = results.get(row.no());
      if (!r.forbidden().isEmpty()) {
        reached.add(row + ": " + r.forbidden());
      }
      if (r.leaked()) {
        leaked.add(row.toString());
      }
      if (r.outcome().refused()) {
        refused++;
      }
    }
    System.out.println("kubernetes attack catalogue: " + reached.size() + " requests that policy forbids reached the API"
        + " server (" + rows.size() + " rows, " + refused + " refused by the gateway), " + leaked.size()
        + " answers with a Secret's value; witness: the fake API server's request log");
    assertThat(reached).as("forbidden requests that reached the API server").isEmpty();
    assertThat(leaked).as("answers that leaked a Secret").isEmpty();
  }
}
