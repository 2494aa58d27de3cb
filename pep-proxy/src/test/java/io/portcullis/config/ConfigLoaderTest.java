package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private static final String VALID = """
      listen:
        postgres: 127.0.0.1:0
        allow_cleartext_on_loopback: true
      identity:
        audiences: [portcullis]
        dev_issuer: {enabled: true, listen: 127.0.0.1:0, key_file: /tmp/k.jwk}
      opa:
        url: http://127.0.0.1:8181
      targets:
        - {name: demo, protocol: postgres, host: 127.0.0.1, port: 5432, database: demo,
           user: gw, password_env: PW}
      """;

  @Test
  void exampleConfigInTheRepositoryIsValid() throws Exception {
    Path example = Path.of(System.getProperty("user.dir")).getParent().resolve("config/example.yaml");
    GatewayConfig config = ConfigLoader.load(example);
    assertThat(config.target("demo")).isPresent();
    assertThat(config.listen().postgresAddress().port()).isEqualTo(6432);
  }

  @Test
  void validConfigLoadsWithDefaults() throws Exception {
    GatewayConfig config = ConfigLoader.parse("test", VALID);
    assertThat(config.limits().maxMessageBytes()).isEqualTo(1 << 20);
    assertThat(config.target("demo").orElseThrow().password(Map.of("PW", "s3cret"))).isEqualTo("s3cret");
  }

  @Test
  void unknownKeyIsAnErrorNamingTheKey() {
    assertThatThrownBy(() -> ConfigLoader.parse("test", VALID + "colour: blue\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("colour");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String bad = VALID.replace("127.0.0.1:0\n  allow", "nowhere\n  allow")
        .replace("port: 5432", "port: 70000")
        .replace("user: gw, ", "");
    assertThatThrownBy(() -> ConfigLoader.parse("test", bad))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).contains(
            "listen.postgres: nowhere (expected: host:port)",
            "targets[0].port: 70000 (expected: 1..65535)",
            "targets[0].user: missing"));
  }

  @Test
  void auditorsDefaultToNobodyAndEachEntryNamesAGroupOrAUser() throws Exception {
    assertThat(ConfigLoader.parse("test", VALID).admin().auditors()).isEmpty();
    assertThat(ConfigLoader.parse("test", VALID + "admin: {auditors: [group:security, user:carol]}\n")
        .admin().auditors()).containsExactly("group:security", "user:carol");
    assertThatThrownBy(() -> ConfigLoader.parse("test", VALID + "admin: {auditors: [security, 'group:']}\n"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).contains(
            "admin.auditors: security (expected: group:NAME or user:SUBJECT)",
            "admin.auditors: group: (expected: group:NAME or user:SUBJECT)"));
  }

  @Test
  void duplicateTargetNamesAreRefused() {
    String twice = VALID + """
          - {name: demo, protocol: postgres, host: h, port: 1, database: d, user: u}
        """;
    assertThatThrownBy(() -> ConfigLoader.parse("test", twice)).hasMessageContaining("expected: unique");
  }

  @Test
  void missingPasswordSourceIsAClearError() throws Exception {
    var target = ConfigLoader.parse("test", VALID).target("demo").orElseThrow();
    assertThatThrownBy(() -> target.password(Map.of()))
        .hasMessage("target demo: environment variable PW is not set");
  }

  @Test
  void passwordFileIsReadWithoutTrailingNewline(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("pw");
    Files.writeString(file, "s3cret\n");
    var target = new TargetSettings("t", "postgres", "h", 1, "d", "u", null, file.toString());
    assertThat(target.password(Map.of())).isEqualTo("s3cret");
  }

  @Test
  void missingFileIsAClearError() {
    assertThatThrownBy(() -> ConfigLoader.load(Path.of("/nonexistent/portcullis.yaml")))
        .hasMessageContaining("no such file");
  }

  private static final String INTERPOLATED = VALID + """
      admin: {auditors: ['user:${AUDITOR}', 'group:$${literal}']}
      audit:
        store: postgres
        postgres: {host: '${DB_HOST}.internal', database: audit, user: w, chain: '${POD_NAME}'}
      """;

  @Test
  void environmentVariablesAreInterpolatedInStringValues() throws Exception {
    GatewayConfig config = ConfigLoader.parse("test", INTERPOLATED.replace("host: 127.0.0.1, port",
        "host: '${TARGET_HOST}', port"), Map.of("POD_NAME", "portcullis-7d9f-x2k4q",
        "DB_HOST", "audit-db", "AUDITOR", "carol", "TARGET_HOST", "demo-db"));
    assertThat(config.audit().postgres().chain()).isEqualTo("portcullis-7d9f-x2k4q");
    assertThat(config.audit().postgres().host()).isEqualTo("audit-db.internal");
    assertThat(config.target("demo").orElseThrow().host()).isEqualTo("demo-db");
    // In lists too; $${ is a literal ${.
    assertThat(config.admin().auditors()).containsExactly("user:carol", "group:${literal}");
  }

  @Test
  void everyUnsetVariableIsRefusedWithItsSetting() {
    assertThatThrownBy(() -> ConfigLoader.parse("test", INTERPOLATED, Map.of("AUDITOR", "carol")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "audit.postgres.host: ${DB_HOST}: environment variable DB_HOST is not set",
            "audit.postgres.chain: ${POD_NAME}: environment variable POD_NAME is not set"));
  }

  @Test
  void malformedReferencesAreRefusedAndOtherDollarsKept() throws Exception {
    assertThatThrownBy(() -> ConfigLoader.parse("test", VALID.replace("database: demo", "database: '${1db}'"),
        Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
            "targets[0].database: ${1db} (expected: ${NAME} with NAME of A-Z a-z 0-9 _, or $${ for a literal ${)"));
    assertThatThrownBy(() -> ConfigLoader.parse("test", VALID.replace("database: demo", "database: 'x${DB'"),
        Map.of("DB", "d")))
        .hasMessageContaining("targets[0].database: ${DB (expected: ${NAME}");
    assertThat(ConfigLoader.parse("test", VALID.replace("database: demo", "database: 'a$b$$c$'"), Map.of())
        .target("demo").orElseThrow().database()).isEqualTo("a$b$$c$");
  }

  @Test
  void keysAreNotInterpolated() {
    assertThatThrownBy(() -> ConfigLoader.parse("test", VALID + "${KEY}: 1\n", Map.of("KEY", "limits")))
        .hasMessageContaining("unknown setting '${KEY}'");
  }

  @Test
  void anSshTargetNeedsOneCredentialAndAPinnedHostKey(@TempDir Path dir) throws Exception {
    Path key = Files.writeString(dir.resolve("key"), "k");
    Path known = Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:22 ecdsa-sha2-nistp256 AAAA\n");
    String ssh = VALID.replace("  postgres: 127.0.0.1:0\n", "  postgres: 127.0.0.1:0\n  ssh: 127.0.0.1:0\n")
        + "  - {name: web-1, protocol: ssh, host: 127.0.0.1, port: 22, user: portcullis, key_file: %s,"
            .formatted(key) + " known_hosts_file: %s}\n".formatted(known)
        + "ssh: {auth_timeout_s: 10, idle_timeout_s: 60, max_unauthenticated: 4}\n";
    GatewayConfig config = ConfigLoader.parse("test", ssh);
    assertThat(config.listen().sshAddress().port()).isZero();
    assertThat(config.target("web-1").orElseThrow().keyFile()).isEqualTo(key.toString());
    assertThat(config.ssh().maxUnauthenticated()).isEqualTo(4);
    assertThat(config.ssh().hostKey("data")).isEqualTo(Path.of("data", "ssh-host-key"));

    assertThatThrownBy(() -> ConfigLoader.parse("test", VALID
        + "  - {name: web-2, protocol: ssh, host: 127.0.0.1, port: 22, user: portcullis}\n"))
        .hasMessageContaining("targets[1]: set exactly one of key_file, password_env and password_file")
        .hasMessageContaining("targets[1].known_hosts_file: null (expected: a readable known_hosts file");
    assertThatThrownBy(() -> ConfigLoader.parse("test", VALID
        + "  - {name: web-3, protocol: telnet, host: 127.0.0.1, port: 23, user: x}\n"))
        .hasMessageContaining("targets[1].protocol: telnet (expected: postgres, ssh, http or kubernetes)");
    assertThatThrownBy(() -> ConfigLoader.parse("test", VALID + "ssh: {max_unauthenticated: 0}\n"))
        .hasMessageContaining("ssh.max_unauthenticated: 0 (expected: 1..100000)");
  }
}
