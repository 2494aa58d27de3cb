package io.portcullis.config;

import static io.portcullis.config.Manifests.document;
import static io.portcullis.config.Manifests.documents;
import static io.portcullis.config.Manifests.named;
import static io.portcullis.config.Manifests.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps docker-compose.yml and deploy/ honest without a Docker engine or a cluster: every YAML file
 * parses, the gateway configurations they mount pass the gateway's own validation (the code behind
 * {@code portcullis check-config}) with the environment their containers get, the files those
 * configurations name come from mounts, and OPA is the version scripts/versions.env pins.
 */
class DeploymentManifestsTest {

  private static final Path ROOT = Manifests.repoRoot();
  private static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
  private static final Path K8S = ROOT.resolve("deploy/kubernetes/base");
  private static final Path DEMO = ROOT.resolve("deploy/kubernetes/demo");
  private static final String POD_NAME = "portcullis-6d8f7b9c4-x7k2q";

  @Test
  void everyYamlFileUnderDeployAndTheComposeFileParses() {
    List<Path> files = new ArrayList<>(Manifests.yamlFiles(ROOT.resolve("deploy")));
    files.add(COMPOSE);
    assertThat(files).contains(ROOT.resolve("deploy/compose/portcullis.yaml"), K8S.resolve("kustomization.yaml"),
        DEMO.resolve("postgres.yaml"));
    for (Path file : files) {
      List<JsonNode> docs = documents(file);
      assertThat(docs).as(file + " documents").isNotEmpty();
      if (file.startsWith(ROOT.resolve("deploy/kubernetes")) && !file.endsWith("kustomization.yaml")) {
        for (JsonNode doc : docs) {
          assertThat(doc.path("apiVersion").asText()).as(file + " apiVersion").isNotBlank();
          assertThat(doc.path("kind").asText()).as(file + " kind").isNotBlank();
          assertThat(doc.path("metadata").path("name").asText()).as(file + " metadata.name").isNotBlank();
        }
      }
    }
  }

  @Test
  void kustomizationsApplyEveryManifestButTheSecretExample() throws IOException {
    assertThat(texts(document(K8S.getParent().resolve("kustomization.yaml")).path("resources")))
        .containsExactly("base");
    Set<String> listed = new HashSet<>(texts(document(K8S.resolve("kustomization.yaml")).path("resources")));
    Set<String> present = new HashSet<>();
    try (var files = Files.list(K8S)) {
      files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml")).forEach(present::add);
    }
    present.remove("kustomization.yaml");
    assertThat(listed).isEqualTo(present);
    assertThat(K8S.resolve("secret.example.yaml")).doesNotExist();
    assertThat(K8S.getParent().resolve("secret.example.yaml")).isRegularFile();
    JsonNode demo = document(DEMO.resolve("kustomization.yaml"));
    assertThat(texts(demo.path("resources"))).containsExactly("../base", "postgres.yaml");
  }

  @Test
  void demoDatabaseInitFilesAreCopiesOfComposesAndTheGatewaysSchema() throws IOException {
    Map<String, String> sources = Map.of(
        "init/10-audit-schema.sql", "pep-proxy/src/main/resources/io/portcullis/audit/schema.sql",
        "init/20-grants.sh", "deploy/compose/audit-db/20-grants.sh",
        "init/grants.sql", "deploy/compose/audit-db/grants.sql",
        "init/30-demo-roles.sh", "deploy/compose/demo-db/10-roles.sh",
        "init/40-demo-schema.sh", "deploy/compose/demo-db/20-schema.sh",
        "init/sample-schema.sql", "tests/src/test/resources/sample-schema.sql");
    JsonNode generator = named(document(DEMO.resolve("kustomization.yaml")).path("configMapGenerator"),
        "portcullis-demo-db-init");
    assertThat(texts(generator.path("files"))).containsExactlyInAnyOrderElementsOf(sources.keySet());
    for (var e : sources.entrySet()) {
      assertThat(Files.readString(DEMO.resolve(e.getKey()))).as(e.getKey())
          .isEqualTo(Files.readString(ROOT.resolve(e.getValue())));
    }
    // The compose scripts read grants.sql and the sample schema from /portcullis.
    JsonNode statefulSet = Manifests.object(DEMO, "StatefulSet", "portcullis-demo-db");
    ObjectNode pod = statefulSet.path("spec").path("template").path("spec").deepCopy();
    for (JsonNode claim : statefulSet.path("spec").path("volumeClaimTemplates")) {
      pod.withArray("volumes").addObject().put("name", claim.path("metadata").path("name").asText())
          .putObject("persistentVolumeClaim");
    }
    Map<String, JsonNode> mounts = mounts(pod, named(pod.path("containers"), "postgres"));
    assertThat(source(mounts, "/portcullis/grants.sql")).isEqualTo("configMap portcullis-demo-db-init/grants.sql");
    assertThat(source(mounts, "/portcullis/sample-schema.sql"))
        .isEqualTo("configMap portcullis-demo-db-init/sample-schema.sql");
    assertThat(source(mounts, "/docker-entrypoint-initdb.d/20-grants.sh"))
        .isEqualTo("configMap portcullis-demo-db-init/20-grants.sh");
  }

  @Test
  void grantsSqlCreatesApprovalEventsExactlyAsTheGatewayWould() throws Exception {
    // The owner creates the table so that the gateway's role can only append to it: the
    // statements must stay those of PostgresApprovalStore, or the two would drift apart.
    var field = io.portcullis.approval.PostgresApprovalStore.class.getDeclaredField("SCHEMA");
    field.setAccessible(true);
    @SuppressWarnings("unchecked")
    List<String> schema = (List<String>) field.get(null);
    String grants = squash(Files.readString(ROOT.resolve("deploy/compose/audit-db/grants.sql")));
    assertThat(schema).hasSizeGreaterThan(1);
    for (String statement : schema.subList(1, schema.size())) {   // all but CREATE SCHEMA
      assertThat(grants).contains(squash(statement));
    }
    assertThat(schema.getFirst()).isEqualTo("CREATE SCHEMA IF NOT EXISTS portcullis_audit");
  }

  private static String squash(String sql) {
    return sql.replaceAll("\\s+", " ").trim();
  }

  @Test
  void everySecretThePodsReferenceIsInTheSecretExample() {
    Map<String, Set<String>> example = secretKeys();
    List<JsonNode> workloads = new ArrayList<>();
    for (Path dir : List.of(K8S, DEMO)) {
      Manifests.objects(dir).stream().filter(o -> o.path("kind").asText().matches("Deployment|StatefulSet"))
          .forEach(workloads::add);
    }
    assertThat(workloads).hasSize(3);
    for (JsonNode w : workloads) {
      JsonNode pod = w.path("spec").path("template").path("spec");
      for (JsonNode c : pod.path("containers")) {
        for (JsonNode e : c.path("env")) {
          JsonNode ref = e.path("valueFrom").path("secretKeyRef");
          if (!ref.isMissingNode()) {
            assertThat(example.get(ref.path("name").asText())).as(e.toString()).contains(ref.path("key").asText());
          }
        }
      }
      for (JsonNode v : pod.path("volumes")) {
        if (v.has("secret")) {
          assertThat(example).containsKey(v.path("secret").path("secretName").asText());
        }
      }
    }
  }

  @Test
  void composeGatewayConfigPassesCheckConfigWithItsContainersEnvironmentAndMounts(@TempDir Path tmp)
      throws Exception {
    JsonNode services = document(COMPOSE).path("services");
    JsonNode gateway = services.path("gateway");
    Map<String, String> mounts = new LinkedHashMap<>();   // container path -> source
    for (String volume : texts(gateway.path("volumes"))) {
      String[] parts = volume.split(":");
      mounts.put(parts[1], parts[0]);
    }
    // The image's CMD reads /etc/portcullis/config.yaml: it must be this file.
    assertThat(Files.readString(ROOT.resolve("pep-proxy/Dockerfile"))).contains("\"/etc/portcullis/config.yaml\"");
    assertThat(mounts).containsEntry("/etc/portcullis/config.yaml", "./deploy/compose/portcullis.yaml");
    Map<String, String> env = new LinkedHashMap<>();
    gateway.path("environment").properties().forEach(e -> env.put(e.getKey(), "from-compose"));

    String yaml = Files.readString(ROOT.resolve("deploy/compose/portcullis.yaml"));
    GatewayConfig config = checkConfig("deploy/compose/portcullis.yaml", yaml, env, mounts.keySet(), tmp);

    assertThat(mounts).containsKey(config.dataDir());
    assertThat(config.opa().url()).isEqualTo("http://127.0.0.1:8181");
    JsonNode opa = services.path("opa");
    assertThat(opa.path("network_mode").asText()).isEqualTo("service:gateway");
    assertThat(texts(opa.path("command"))).containsSubsequence("--addr", "127.0.0.1:8181");
    assertThat(config.audit().store()).isEqualTo("postgres");
    assertThat(config.audit().postgres().chain()).isNotEqualTo("gateway").isNotBlank();
    assertThat(services.has(config.audit().postgres().host())).as("audit host is a compose service").isTrue();
    assertThat(services.has(config.target("demo").orElseThrow().host())).as("target is a compose service").isTrue();
    assertThat(config.audit().postgres().host()).isNotEqualTo(config.target("demo").orElseThrow().host());
  }

  @Test
  void kubernetesGatewayConfigPassesCheckConfigWithThePodsEnvironmentAndMounts(@TempDir Path tmp)
      throws Exception {
    JsonNode pod = Manifests.object(K8S, "Deployment", "portcullis").path("spec").path("template").path("spec");
    JsonNode gateway = named(pod.path("containers"), "gateway");
    Map<String, JsonNode> mounts = mounts(pod, gateway);
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode e : gateway.path("env")) {
      String field = e.path("valueFrom").path("fieldRef").path("fieldPath").asText();
      env.put(e.path("name").asText(), field.equals("metadata.name") ? POD_NAME : "from-the-pod");
    }
    // The config is the ConfigMap key the container's --config path is mounted from.
    List<String> args = texts(gateway.path("args"));
    String configPath = args.get(args.indexOf("--config") + 1);
    JsonNode configMap = Manifests.object(K8S, "ConfigMap", "portcullis-config");
    assertThat(source(mounts, configPath)).isEqualTo("configMap portcullis-config/portcullis.yaml");
    String yaml = configMap.path("data").path("portcullis.yaml").asText();

    GatewayConfig config = checkConfig("ConfigMap portcullis-config", yaml, env, mounts.keySet(), tmp);

    // Every file it names is a key of the Secret mounted there (secret.example.yaml shows them).
    Map<String, Set<String>> secretKeys = secretKeys();
    for (String file : Manifests.valuesOfKeysEndingIn(Manifests.parse("config", yaml), "_file").values()) {
      String[] from = source(mounts, file).split("[ /]");
      assertThat(from[0]).as(file).isEqualTo("secret");
      assertThat(secretKeys.get(from[1])).as(file).contains(from[2]);
    }
    // (The config's own paths now point at the test's stand-ins: take the one as written.)
    String signingKey = Manifests.parse("config", yaml).path("audit").path("signing_key_file").asText();
    assertThat(secretKeys.get(source(mounts, signingKey).split("[ /]")[1])).contains(
        Path.of(signingKey).getFileName() + ".pub");

    assertThat(config.audit().signingKeyFile()).endsWith(signingKey);
    assertThat(source(mounts, config.dataDir())).isEqualTo("emptyDir");
    assertThat(config.audit().store()).isEqualTo("postgres");
    assertThat(config.audit().postgres().chain()).isEqualTo(POD_NAME);
    assertThat(config.opa().url()).isEqualTo("http://127.0.0.1:8181");
    assertThat(texts(named(pod.path("containers"), "opa").path("args"))).contains("--addr=127.0.0.1:8181");
    // The databases it names are Services of these manifests.
    String auditHost = URI.create(config.audit().postgres().jdbcUrl().substring("jdbc:".length())).getHost();
    Manifests.object(K8S, "Service", auditHost);
    Manifests.object(K8S, "Service", config.target("demo").orElseThrow().host());
    // Approvers reach any replica through the admin Service.
    assertThat(config.approvals().publicUrl()).startsWith("http://portcullis-admin.portcullis.svc:9090");
    assertThat(config.admin().listenAddress().port()).isEqualTo(port(gateway, "admin"));
    assertThat(config.listen().postgresAddress().port()).isEqualTo(port(gateway, "postgres"));
  }

  @Test
  void opaImagesAreTheVersionScriptsVersionsEnvPins() throws IOException {
    String pinned = Files.readAllLines(ROOT.resolve("scripts/versions.env")).stream()
        .filter(l -> l.startsWith("OPA_VERSION=")).findFirst().orElseThrow()
        .substring("OPA_VERSION=".length()).replaceFirst("^v", "");
    String image = "openpolicyagent/opa:" + pinned;
    List<String> compose = Manifests.images(document(COMPOSE)).stream().filter(i -> i.startsWith("openpolicyagent/")).toList();
    List<String> kubernetes = Manifests.objects(K8S).stream().flatMap(o -> Manifests.images(o).stream())
        .filter(i -> i.startsWith("openpolicyagent/")).toList();
    assertThat(compose).containsExactly(image);
    assertThat(kubernetes).isNotEmpty().allMatch(image::equals);
    assertThat(document(COMPOSE).path("services").path("opa").path("image").asText()).isEqualTo(image);
  }

  @Test
  void opaPollsTheBundleThatTheBundleServerServes() throws IOException {
    JsonNode compose = document(COMPOSE).path("services");
    JsonNode composeOpa = document(ROOT.resolve("deploy/compose/opa/config.yaml"));
    assertThat(texts(compose.path("opa").path("command"))).containsSubsequence("--config-file", "/config/opa.yaml");
    assertThat(texts(compose.path("opa").path("volumes"))).contains("./deploy/compose/opa/config.yaml:/config/opa.yaml:ro");
    String composeHost = bundleUrl(composeOpa).getHost();
    assertThat(compose.has(composeHost)).as("bundle server " + composeHost + " is a compose service").isTrue();
    assertThat(texts(compose.path(composeHost).path("volumes")))
        .contains("./opa-bundles/build:/srv/bundles:ro", "./deploy/compose/bundles-nginx.conf:/etc/nginx/nginx.conf:ro");

    JsonNode k8sOpa = Manifests.parse("opa.yaml",
        Manifests.object(K8S, "ConfigMap", "portcullis-config").path("data").path("opa.yaml").asText());
    JsonNode service = Manifests.object(K8S, "Service", bundleUrl(k8sOpa).getHost());
    assertThat(service.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(bundleUrl(k8sOpa).getPort());
    JsonNode pod = Manifests.object(K8S, "Deployment", "portcullis").path("spec").path("template").path("spec");
    JsonNode opa = named(pod.path("containers"), "opa");
    assertThat(source(mounts(pod, opa), "/config/opa.yaml")).isEqualTo("configMap portcullis-config/opa.yaml");
    assertThat(texts(opa.path("args"))).contains("--config-file=/config/opa.yaml");
    assertThat(opa.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/health?bundles");

    // nginx serves /bundles/ from /srv/bundles: the bundle's resource path; one nginx.conf for both.
    String nginx = Files.readString(ROOT.resolve("deploy/compose/bundles-nginx.conf"));
    assertThat(nginx).contains("location /bundles/ {\n      alias /srv/bundles/;", "listen 8080;");
    assertThat(Manifests.object(K8S, "ConfigMap", "portcullis-bundles-nginx").path("data").path("nginx.conf").asText())
        .isEqualTo(nginx);
    for (JsonNode config : List.of(composeOpa, k8sOpa)) {
      JsonNode bundle = config.path("bundles").path("portcullis");
      assertThat(bundle.path("resource").asText()).isEqualTo("bundles/bundle.tar.gz");
      int min = bundle.path("polling").path("min_delay_seconds").asInt();
      int max = bundle.path("polling").path("max_delay_seconds").asInt();
      assertThat(min).isPositive().isLessThanOrEqualTo(max);
    }
  }

  @Test
  void kubernetesPodsRunLockedDownWithProbesResourcesAndADisruptionBudget() {
    JsonNode deployment = Manifests.object(K8S, "Deployment", "portcullis");
    JsonNode pod = deployment.path("spec").path("template").path("spec");
    assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(3);
    JsonNode gateway = named(pod.path("containers"), "gateway");
    assertThat(probe(gateway, "readinessProbe")).isEqualTo("/readyz admin");
    assertThat(probe(gateway, "livenessProbe")).isEqualTo("/healthz admin");
    for (JsonNode d : List.of(deployment, Manifests.object(K8S, "Deployment", "portcullis-bundles"),
        Manifests.object(DEMO, "StatefulSet", "portcullis-demo-db"))) {
      JsonNode spec = d.path("spec").path("template").path("spec");
      assertThat(spec.path("securityContext").path("runAsNonRoot").asBoolean()).as(d + " runAsNonRoot").isTrue();
      for (JsonNode c : spec.path("containers")) {
        String name = c.path("name").asText();
        assertThat(c.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).as(name).isTrue();
        assertThat(c.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).as(name).isFalse();
        assertThat(texts(c.path("securityContext").path("capabilities").path("drop"))).as(name).contains("ALL");
        assertThat(c.path("resources").path("requests").path("memory").asText()).as(name).isNotBlank();
        assertThat(c.path("resources").path("limits").path("memory").asText()).as(name).isNotBlank();
        assertThat(c.has("readinessProbe") && c.has("livenessProbe")).as(name + " probes").isTrue();
      }
    }
    JsonNode labels = deployment.path("spec").path("template").path("metadata").path("labels");
    JsonNode pdb = Manifests.object(K8S, "PodDisruptionBudget", "portcullis");
    assertThat(pdb.path("spec").path("selector").path("matchLabels")).isEqualTo(labels);
    for (String service : List.of("portcullis", "portcullis-admin")) {
      JsonNode spec = Manifests.object(K8S, "Service", service).path("spec");
      assertThat(spec.path("selector")).as(service).isEqualTo(labels);
      for (JsonNode port : spec.path("ports")) {
        assertThat(port(gateway, port.path("targetPort").asText())).as(service).isEqualTo(port.path("port").asInt());
      }
    }
  }

  /**
   * Runs the gateway's validation on {@code yaml} as its container would: with {@code env}, and
   * with each file it names (a TLS certificate, say) present where a mount provides it. Files not
   * under one of {@code mounts} fail the test.
   */
  private static GatewayConfig checkConfig(String source, String yaml, Map<String, String> env,
      Set<String> mounts, Path tmp) throws Exception {
    for (String name : Manifests.valuesOfKeysEndingIn(Manifests.parse(source, yaml), "_env").values()) {
      assertThat(env).as(source + " needs " + name).containsKey(name);
    }
    String rewritten = yaml;
    for (var file : Manifests.valuesOfKeysEndingIn(Manifests.parse(source, yaml), "_file").entrySet()) {
      assertThat(mounts).as(file.getKey() + ": " + file.getValue() + " comes from a mount")
          .anyMatch(m -> file.getValue().startsWith(m + "/"));
      Path stand = tmp.resolve(file.getValue().substring(1));
      Files.createDirectories(stand.getParent());
      Files.writeString(stand, "provided by the mount");
      rewritten = rewritten.replace(file.getValue(), stand.toString());
    }
    return ConfigLoader.parse(source, rewritten, env);
  }

  /** Secret name -> its keys, as secret.example.yaml shows them. */
  private static Map<String, Set<String>> secretKeys() {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (JsonNode s : documents(K8S.getParent().resolve("secret.example.yaml"))) {
      Set<String> keys = new HashSet<>();
      s.path("stringData").fieldNames().forEachRemaining(keys::add);
      out.put(s.path("metadata").path("name").asText(), keys);
    }
    return out;
  }

  /** Volume mount path of {@code container} -> the pod's volume it mounts. */
  private static Map<String, JsonNode> mounts(JsonNode pod, JsonNode container) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode m : container.path("volumeMounts")) {
      out.put(m.path("mountPath").asText(), named(pod.path("volumes"), m.path("name").asText()));
    }
    return out;
  }

  /** Where {@code path} comes from: "secret NAME/KEY", "configMap NAME/KEY" or "emptyDir". */
  private static String source(Map<String, JsonNode> mounts, String path) {
    String mount = mounts.keySet().stream().filter(m -> path.equals(m) || path.startsWith(m + "/"))
        .max(Comparator.comparingInt(String::length)).orElseThrow(() -> new AssertionError(path + ": not mounted"));
    JsonNode volume = mounts.get(mount);
    String key = path.equals(mount) ? "" : path.substring(mount.length() + 1);
    if (volume.has("emptyDir")) {
      return "emptyDir";
    }
    if (volume.has("secret")) {
      return "secret " + volume.path("secret").path("secretName").asText() + "/" + key;
    }
    JsonNode configMap = volume.path("configMap");
    for (JsonNode item : configMap.path("items")) {
      if (item.path("path").asText().equals(key)) {
        return "configMap " + configMap.path("name").asText() + "/" + item.path("key").asText();
      }
    }
    return "configMap " + configMap.path("name").asText() + "/" + key;
  }

  private static int port(JsonNode container, String name) {
    return named(container.path("ports"), name).path("containerPort").asInt();
  }

  private static String probe(JsonNode container, String probe) {
    JsonNode get = container.path(probe).path("httpGet");
    return get.path("path").asText() + " " + get.path("port").asText();
  }

  private static URI bundleUrl(JsonNode opaConfig) {
    String service = opaConfig.path("bundles").path("portcullis").path("service").asText();
    return URI.create(opaConfig.path("services").path(service).path("url").asText());
  }
}
