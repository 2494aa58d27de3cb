package io.portcullis.protocol.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.protocol.k8s.K8sAttributes.StreamOptions;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Requests as kubectl and client-go send them, and the attributes the API server gives them. */
class K8sRequestParserTest {

  /**
   * method, target, resource?, verb, group, version, namespace, resource, subresource, name.
   * Empty CSV cells (null) stand for empty strings.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', textBlock = """
      GET    | /api                                                        | false | get    |       |    |      |    |    |
      GET    | /apis                                                       | false | get    |       |    |      |    |    |
      GET    | /api/v1                                                     | false | get    |       |    |      |    |    |
      GET    | /apis/apps                                                  | false | get    |       |    |      |    |    |
      GET    | /apis/apps/v1                                               | false | get    |       |    |      |    |    |
      GET    | /version?timeout=32s                                        | false | get    |       |    |      |    |    |
      GET    | /healthz                                                    | false | get    |       |    |      |    |    |
      GET    | /openapi/v2?timeout=32s                                     | false | get    |       |    |      |    |    |
      GET    | /openapi/v3/apis/apps/v1                                    | false | get    |       |    |      |    |    |
      POST   | /logs                                                       | false | post   |       |    |      |    |    |
      GET    | /                                                           | false | get    |       |    |      |    |    |
      GET    | /api/v1/namespaces/prod/pods?limit=500                      | true  | list   |       | v1 | prod | pods |  |
      GET    | /api/v1/pods                                                | true  | list   |       | v1 |      | pods |  |
      HEAD   | /api/v1/pods                                                | true  | list   |       | v1 |      | pods |  |
      GET    | /api/v1/namespaces/prod/pods/web-1                          | true  | get    |       | v1 | prod | pods |  | web-1
      GET    | /api/v1/namespaces/prod/pods?watch=true                     | true  | watch  |       | v1 | prod | pods |  |
      GET    | /api/v1/namespaces/prod/pods?watch=1&resourceVersion=10     | true  | watch  |       | v1 | prod | pods |  |
      GET    | /api/v1/namespaces/prod/pods?watch=                         | true  | watch  |       | v1 | prod | pods |  |
      GET    | /api/v1/namespaces/prod/pods?watch=0                        | true  | list   |       | v1 | prod | pods |  |
      GET    | /api/v1/namespaces/prod/pods?watch=False&watch=true         | true  | list   |       | v1 | prod | pods |  |
      GET    | /api/v1/namespaces/prod/pods?fieldSelector=metadata.name%3Dweb-1&watch=true | true | watch | | v1 | prod | pods | | web-1
      GET    | /api/v1/namespaces/prod/pods?fieldSelector=metadata.name%3D%3Dweb-1 | true | list |     | v1 | prod | pods |  | web-1
      GET    | /api/v1/namespaces/prod/pods?fieldSelector=metadata.name!%3Dweb-1 | true | list |       | v1 | prod | pods |  |
      GET    | /api/v1/watch/namespaces/prod/pods                          | true  | watch  |       | v1 | prod | pods |  |
      GET    | /api/v1/watch/namespaces/prod/pods/web-1                    | true  | watch  |       | v1 | prod | pods |  | web-1
      GET    | /apis/apps/v1/watch/deployments                             | true  | watch  | apps  | v1 |      | deployments | |
      DELETE | /apis/apps/v1/namespaces/prod/deployments/api               | true  | delete | apps  | v1 | prod | deployments | | api
      DELETE | /api/v1/namespaces/prod/pods                                | true  | deletecollection | | v1 | prod | pods | |
      POST   | /api/v1/namespaces/prod/pods?fieldManager=kubectl-create    | true  | create |       | v1 | prod | pods |  |
      PUT    | /api/v1/namespaces/prod/pods/web-1                          | true  | update |       | v1 | prod | pods |  | web-1
      PATCH  | /apis/apps/v1/namespaces/prod/deployments/api?fieldManager=kubectl-edit | true | patch | apps | v1 | prod | deployments | | api
      PUT    | /api/v1/namespaces/prod/pods/web-1/status                   | true  | update |       | v1 | prod | pods | status | web-1
      GET    | /api/v1/namespaces                                          | true  | list   |       | v1 |      | namespaces | |
      GET    | /api/v1/namespaces/prod                                     | true  | get    |       | v1 | prod | namespaces | | prod
      PUT    | /api/v1/namespaces/prod/finalize                            | true  | update |       | v1 | prod | namespaces | finalize | prod
      GET    | /api/v1/namespaces/prod/status                              | true  | get    |       | v1 | prod | namespaces | status | prod
      GET    | /api/v1/namespaces/prod/pods/web-1/log?container=app&follow=true | true | get |      | v1 | prod | pods | log | web-1
      GET    | /apis/apps/v1/namespaces/prod/deployments/api/scale         | true  | get    | apps  | v1 | prod | deployments | scale | api
      POST   | /apis/authorization.k8s.io/v1/selfsubjectaccessreviews      | true  | create | authorization.k8s.io | v1 | | selfsubjectaccessreviews | |
      GET    | /apis/apiextensions.k8s.io/v1/customresourcedefinitions     | true  | list   | apiextensions.k8s.io | v1 | | customresourcedefinitions | |
      GET    | /api/v1/nodes/node-1/proxy/metrics                          | true  | get    |       | v1 |      | nodes | proxy | node-1
      GET    | /api/v1/nodes/node-1/proxy/                                 | true  | get    |       | v1 |      | nodes | proxy | node-1
      GET    | /api/v1/namespaces/prod/services/web:80/proxy/              | true  | get    |       | v1 | prod | services | proxy | web:80
      POST   | /api/v1/namespaces/prod/pods/web-1/proxy/a/b                | true  | create |       | v1 | prod | pods | proxy | web-1
      GET    | /api/v1/proxy/nodes/node-1/stats                            | true  | proxy  |       | v1 |      | nodes |  | node-1
      GET    | /api/v1/proxy/namespaces/prod/pods/web-1/x/y                | true  | proxy  |       | v1 | prod | pods |  | web-1
      OPTIONS| /api/v1/pods                                                | true  |        |       | v1 |      | pods |  |
      GET    | /apis/apps/v1/namespaces                                    | true  | list   | apps  | v1 |      | namespaces | |
      GET    | /api/v1/namespaces/prod/pods/%77eb-1                        | true  | get    |       | v1 | prod | pods |  | web-1
      GET    | /api/v1/namespaces/prod/configmaps/a~b_c.d                  | true  | get    |       | v1 | prod | configmaps | | a~b_c.d
      """)
  void attributes(String method, String target, boolean resourceRequest, String verb, String group,
      String version, String namespace, String resource, String subresource, String name) {
    K8sAttributes a = K8sRequestParser.parse(method, target);
    verb = Objects.toString(verb, "");
    group = Objects.toString(group, "");
    version = Objects.toString(version, "");
    namespace = Objects.toString(namespace, "");
    resource = Objects.toString(resource, "");
    subresource = Objects.toString(subresource, "");
    name = Objects.toString(name, "");
    assertThat(a.resourceRequest()).as("resource request").isEqualTo(resourceRequest);
    assertThat(a.verb()).as("verb").isEqualTo(verb);
    assertThat(a.apiGroup()).as("group").isEqualTo(group);
    assertThat(a.apiVersion()).as("version").isEqualTo(version);
    assertThat(a.namespace()).as("namespace").isEqualTo(namespace);
    assertThat(a.resource()).as("resource").isEqualTo(resource);
    assertThat(a.subresource()).as("subresource").isEqualTo(subresource);
    assertThat(a.name()).as("name").isEqualTo(name);
    assertThat(a.apiPrefix()).isEqualTo(resourceRequest ? target.substring(1, target.indexOf('/', 1)) : "");
  }

  @Test
  void kubectlExecIsCreateWithItsCommandAndStreams() {
    K8sAttributes a = K8sRequestParser.parse("POST", "/api/v1/namespaces/prod/pods/web-1/exec"
        + "?command=ls&command=-l&command=%2Fetc%20x&container=app&stdin=true&stdout=true&stderr=true&tty=true");
    assertThat(a.verb()).isEqualTo("create");
    assertThat(a.subresource()).isEqualTo("exec");
    assertThat(a.stream()).isEqualTo(new StreamOptions("app", List.of("ls", "-l", "/etc x"), true,
        true, true, true, List.of()));
  }

  @Test
  void websocketExecOverGetIsCreateToo() {
    K8sAttributes a = K8sRequestParser.parse("GET",
        "/api/v1/namespaces/prod/pods/web-1/exec?command=date&stdout=1&stderr=0");
    assertThat(a.verb()).isEqualTo("create");
    assertThat(a.stream()).isEqualTo(new StreamOptions(null, List.of("date"), false, true, false,
        false, List.of()));
  }

  @Test
  void attachHasNoCommand() {
    K8sAttributes a = K8sRequestParser.parse("POST",
        "/api/v1/namespaces/prod/pods/web-1/attach?container=app&command=sh&stdin=true&stdout=true&tty=true");
    assertThat(a.verb()).isEqualTo("create");
    assertThat(a.stream()).isEqualTo(new StreamOptions("app", List.of(), true, true, false, true,
        List.of()));
  }

  @Test
  void portForwardReadsRepeatedAndCommaSeparatedPorts() {
    K8sAttributes a = K8sRequestParser.parse("GET",
        "/api/v1/namespaces/prod/pods/web-1/portforward?ports=8080&ports=9090,%209091");
    assertThat(a.verb()).isEqualTo("create");
    assertThat(a.stream().ports()).containsExactly(8080, 9090, 9091);
    assertThat(K8sRequestParser.parse("POST", "/api/v1/namespaces/prod/pods/web-1/portforward")
        .stream().ports()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"ports=0", "ports=65536", "ports=abc", "ports=", "'ports=80,'", "ports=123456"})
  void badPortsAreRefused(String query) {
    assertThatThrownBy(() -> K8sRequestParser.parse("GET",
        "/api/v1/namespaces/prod/pods/web-1/portforward?" + query))
        .isInstanceOf(K8sRequestException.class).hasMessageStartingWith("ports: ");
  }

  @Test
  void streamOptionsOnlyForPodStreams() {
    assertThat(K8sRequestParser.parse("POST", "/api/v1/namespaces/prod/services/web/exec?command=ls")
        .stream()).isNull();
    assertThat(K8sRequestParser.parse("GET", "/api/v1/namespaces/prod/pods/web-1/log").stream()).isNull();
    // The legacy proxy prefix proxies to the pod: not an exec, whatever follows.
    K8sAttributes proxied = K8sRequestParser.parse("GET", "/api/v1/proxy/namespaces/prod/pods/web-1/exec");
    assertThat(proxied.verb()).isEqualTo("proxy");
    assertThat(proxied.stream()).isNull();
  }

  @Test
  void selectorsOnlyForCollectionVerbs() {
    K8sAttributes list = K8sRequestParser.parse("GET",
        "/api/v1/pods?labelSelector=app%3Dweb&fieldSelector=status.phase%3DRunning");
    assertThat(list.labelSelector()).isEqualTo("app=web");
    assertThat(list.fieldSelector()).isEqualTo("status.phase=Running");
    K8sAttributes get = K8sRequestParser.parse("GET", "/api/v1/namespaces/a/pods/b?labelSelector=x");
    assertThat(get.labelSelector()).isEmpty();
    K8sAttributes legacyWatch = K8sRequestParser.parse("GET", "/api/v1/watch/pods?labelSelector=x");
    assertThat(legacyWatch.labelSelector()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
      metadata.name=a                      | a
      metadata.name==a                     | a
      metadata.name!=a                     | NULL
      status.phase=Running,metadata.name=b | b
      metadata.name=b,metadata.name=a      | a
      metadata.name=a,bogus                | NULL
      metadata.name=a\\,b                  | NULL
      metadata.name=..                     | NULL
      metadata.name=a%2Fb                  | NULL
      metadata.name=                       | NULL
      ' metadata.name=a'                   | NULL
      ,metadata.name=a,                    | a
      """)
  void fieldSelectorNames(String selector, String expected) {
    assertThat(K8sRequestParser.exactName(selector)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"/api/v1/watch", "/apis/apps/v1/proxy", "/api/v1/watch/"})
  void specialVerbWithoutResourceIsRefused(String target) {
    assertThatThrownBy(() -> K8sRequestParser.parse("GET", target))
        .isInstanceOf(K8sRequestException.class).hasMessageContaining("without a resource");
  }

  @ParameterizedTest
  @CsvSource({"get", "''", "G ET", "GET1", "VERYLONGMETHODNAMEX"})
  void badMethodsAreRefused(String method) {
    assertThatThrownBy(() -> K8sRequestParser.parse(method, "/api/v1/pods"))
        .isInstanceOf(K8sRequestException.class).hasMessageStartingWith("method: ");
  }

  @Test
  void partsStartAtTheResource() {
    assertThat(K8sRequestParser.parse("GET", "/api/v1/namespaces/prod/pods/web-1/proxy/a/b").parts())
        .containsExactly("pods", "web-1", "proxy", "a", "b");
  }
}
