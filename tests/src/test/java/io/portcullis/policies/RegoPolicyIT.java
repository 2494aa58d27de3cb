package io.portcullis.policies;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.it.fixture.Processes;
import io.portcullis.it.fixture.Repo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The policy checks of CI, from the Maven build: format, strict check, tests, coverage. */
class RegoPolicyIT {

  private static final Duration LIMIT = Duration.ofSeconds(120);

  private static Processes.Result opa(String... args) {
    List<String> command = new ArrayList<>(List.of(Repo.opa().toString()));
    command.addAll(List.of(args));
    return Processes.run(command, Map.of(), null, LIMIT);
  }

  private static String policies() {
    return Repo.root().resolve("policies").toString();
  }

  @Test
  void policiesAreFormatted() {
    Processes.Result r = opa("fmt", "--fail", "--list", policies());
    assertThat(r.stdout()).as("files opa fmt would change").isBlank();
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void policiesPassTheStrictCheck() {
    Processes.Result r = opa("check", "--strict", policies());
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  @Test
  void everyPolicyTestPasses() throws Exception {
    Processes.Result r = opa("test", policies(), "--format", "json");
    JsonNode results = new ObjectMapper().readTree(r.stdout());
    List<String> failed = new ArrayList<>();
    int passed = 0;
    for (JsonNode test : results) {
      if (test.path("fail").asBoolean(false) || test.has("error")) {
        failed.add(test.path("name").asText());
      } else {
        passed++;
      }
    }
    assertThat(failed).as("failing policy tests").isEmpty();
    assertThat(passed).isGreaterThanOrEqualTo(30);
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void coverageIsAtLeastNinetyPercent() throws Exception {
    Processes.Result r = opa("test", policies(), "--coverage", "--format", "json");
    double coverage = new ObjectMapper().readTree(r.stdout()).path("coverage").asDouble(-1);
    assertThat(coverage).isGreaterThanOrEqualTo(90.0);
  }
}
