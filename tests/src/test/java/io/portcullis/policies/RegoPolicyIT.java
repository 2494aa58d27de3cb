package io.portcullis.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * End-to-end checks of the Rego policies and their bundle with the real, pinned {@code opa}
 * binary: formatting, strict compilation, every Rego unit test, coverage, and the bundle build.
 *
 * <p>The opa binary is {@code $PORTCULLIS_OPA}, else {@code opa} on {@code PATH}, else {@code
 * ~/.cache/portcullis/opa/v1.22.2/opa}. Without one the tests fail rather than skip: an unchecked
 * policy must not look like a passing build.
 */
class RegoPolicyIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final double MIN_COVERAGE = 90.0;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path repoRoot;
  private static Path opa;

  @BeforeAll
  static void locateRepoAndOpa() {
    String root = System.getProperty("portcullis.repo.root");
    if (root == null || !Files.isDirectory(Path.of(root, "policies"))) {
      fail("portcullis.repo.root: " + root + " (expected: the repository root, holding policies/)");
    }
    repoRoot = Path.of(root).toAbsolutePath().normalize();
    opa = findOpa();
  }

  private static Path findOpa() {
    List<Path> tried = new ArrayList<>();
    String fromEnv = System.getenv("PORTCULLIS_OPA");
    if (fromEnv != null && !fromEnv.isBlank()) {
      // An explicit choice that does not work is an error, not a reason to pick another opa.
      if (!Files.isExecutable(Path.of(fromEnv))) {
        fail("PORTCULLIS_OPA: " + fromEnv + " (expected: an executable opa binary)");
      }
      return Path.of(fromEnv);
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isBlank()) {
        tried.add(Path.of(dir, "opa"));
      }
    }
    tried.add(Path.of(System.getProperty("user.home"), ".cache/portcullis/opa/v1.22.2/opa"));
    return tried.stream()
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no opa binary (set PORTCULLIS_OPA, put opa on PATH, or install it at"
                        + " ~/.cache/portcullis/opa/v1.22.2/opa); tried: "
                        + tried));
  }

  @Test
  void policiesAreFormatted() throws Exception {
    Result fmt = run(List.of(opa.toString(), "fmt", "--fail", "--list", "policies"));

    assertThat(fmt.stdout().strip()).as("files opa fmt would change").isEmpty();
    assertThat(fmt.exitCode()).as("opa fmt exit code; stderr: %s", fmt.stderr()).isZero();
  }

  @Test
  void policiesCompileStrictly() throws Exception {
    Result check = run(List.of(opa.toString(), "check", "--strict", "policies"));

    assertThat(check.exitCode())
        .as("opa check --strict: %s%s", check.stdout(), check.stderr())
        .isZero();
  }

  @TestFactory
  Stream<DynamicTest> everyRegoTestPasses() throws Exception {
    Result test = run(List.of(opa.toString(), "test", "policies", "--format", "json"));
    JsonNode results = parse(test, "opa test");
    assertThat(results.isArray() && !results.isEmpty())
        .as("opa test found no tests: %s", test.stderr())
        .isTrue();

    return StreamSupport.stream(results.spliterator(), false)
        .map(
            result ->
                DynamicTest.dynamicTest(
                    result.path("package").asText() + "." + result.path("name").asText(),
                    () -> {
                      assertThat(result.path("fail").asBoolean(false))
                          .as(
                              "%s failed at %s",
                              result.path("name").asText(),
                              result.path("location"))
                          .isFalse();
                      assertThat(result.path("error").isMissingNode())
                          .as("%s raised %s", result.path("name").asText(), result.path("error"))
                          .isTrue();
                      assertThat(result.path("skip").asBoolean(false))
                          .as("%s was skipped", result.path("name").asText())
                          .isFalse();
                    }));
  }

  @Test
  void coverageIsAtLeastNinetyPercent() throws Exception {
    Result test =
        run(List.of(opa.toString(), "test", "policies", "--coverage", "--format", "json"));
    // With a failing test, opa prints the failures as text instead of the coverage report.
    assertThat(test.exitCode())
        .as("opa test --coverage: %s%s", test.stdout(), test.stderr())
        .isZero();
    JsonNode report = parse(test, "opa test --coverage");

    assertThat(report.path("coverage").isNumber()).as("coverage in %s", test.stdout()).isTrue();
    assertThat(report.path("coverage").asDouble()).isGreaterThanOrEqualTo(MIN_COVERAGE);
  }

  @Test
  void bundleBuildsWithRootsAndWithoutTests() throws Exception {
    Path bundle = repoRoot.resolve("opa-bundles/build/bundle.tar.gz");
    Result build =
        run(
            List.of("bash", repoRoot.resolve("opa-bundles/build.sh").toString()),
            Map.of("PORTCULLIS_OPA", opa.toString()));

    assertThat(build.exitCode()).as("build.sh: %s%s", build.stdout(), build.stderr()).isZero();
    assertThat(build.stdout()).contains("bundle: " + bundle, "revision: ");
    assertThat(bundle).isRegularFile();
    assertThat(Files.size(bundle)).isPositive();

    Result inspect =
        run(
            List.of(
                opa.toString(), "inspect", "--annotations", "--format", "json", bundle.toString()));
    JsonNode report = parse(inspect, "opa inspect");
    assertThat(report.at("/manifest/roots").toString()).isEqualTo("[\"portcullis\"]");
    assertThat(report.at("/manifest/revision").asText()).isNotBlank();
    assertThat(report.path("namespaces").toString())
        .contains("/portcullis/decision.rego")
        .doesNotContain("_test.rego");
    assertThat(report.path("annotations").toString())
        .as("data.portcullis.decision is annotated as the entrypoint")
        .contains("\"entrypoint\":true")
        .contains("{\"type\":\"string\",\"value\":\"decision\"}");
  }

  private static JsonNode parse(Result result, String what) throws IOException {
    if (result.stdout().isBlank()) {
      fail(what + " printed nothing (exit " + result.exitCode() + "): " + result.stderr());
    }
    return JSON.readTree(result.stdout());
  }

  private static Result run(List<String> command) throws Exception {
    return run(command, Map.of());
  }

  /** Runs one command in the repository root, bounded by {@link #TIMEOUT}. */
  private static Result run(List<String> command, Map<String, String> env) throws Exception {
    Path out = Files.createTempFile("rego-it", ".out");
    Path err = Files.createTempFile("rego-it", ".err");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(repoRoot.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        fail(String.join(" ", command) + " did not finish within " + TIMEOUT);
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private record Result(int exitCode, String stdout, String stderr) {}
}
