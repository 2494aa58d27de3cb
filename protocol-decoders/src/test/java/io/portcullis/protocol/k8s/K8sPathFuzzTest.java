package io.portcullis.protocol.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the Kubernetes path parser: {@link RequestTarget#parse} and {@link
 * K8sRequestParser#parse}, the code every policy decision on a Kubernetes request rests on.
 *
 * <p>Oracle, for any input: the only failure is a {@link K8sRequestException}; a parse allocates
 * at most a fixed amount per input byte (measured per thread), so no length or count in the input
 * can make it allocate without bound; what it accepts is unambiguous (no empty, dot or
 * slash-bearing segment, and no slash in a namespace, resource, subresource or name); the verb is
 * one the API server computes; and the target written back by {@link RequestTarget#render} parses
 * to the same target and the same attributes. Inputs are bounded by the fuzzer's length limit and
 * the parser is a single pass over them, so a run cannot hang.
 *
 * <p>The first input byte chooses the HTTP method; the rest, read as ISO-8859-1 so that every byte
 * reaches the parser as one character, is the request target.
 */
class K8sPathFuzzTest {

  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE",
      "HEAD", "OPTIONS", "CONNECT", "get", "");
  private static final Set<String> VERBS = Set.of("get", "list", "watch", "create", "update", "patch",
      "delete", "deletecollection", "proxy", "");
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @FuzzTest(maxDuration = "10m")
  void path(byte[] data) {
    if (data.length < 1) {
      return;
    }
    String method = METHODS.get((data[0] & 0xFF) % METHODS.size());
    String raw = new String(Arrays.copyOfRange(data, 1, data.length), StandardCharsets.ISO_8859_1);
    // Measured on a second parse of the same input, so that class loading and the first call of
    // each string concatenation (one-time costs) are not counted. The bound is linear in the input
    // with room for the fuzzer's own instrumentation, which allocates on every comparison it
    // traces; what it must catch is allocation driven by a number in the input.
    Outcome outcome = parse(method, raw);
    long before = THREADS.getCurrentThreadAllocatedBytes();
    parse(method, raw);
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    assertThat(allocated).as("bytes allocated for %s input bytes", raw.length())
        .isLessThanOrEqualTo(256L * 1024 + 1024L * raw.length());
    if (outcome.refused() != null) {
      assertThat(outcome.refused().getMessage()).isNotEmpty();
      return;
    }
    RequestTarget target = outcome.target();
    K8sAttributes attributes = outcome.attributes();
    for (String segment : target.segments()) {
      assertThat(segment).isNotEmpty().isNotIn(".", "..").doesNotContain("/");
    }
    for (String part : List.of(attributes.namespace(), attributes.resource(),
        attributes.subresource(), attributes.name())) {
      assertThat(part).doesNotContain("/");
    }
    if (attributes.resourceRequest()) {
      assertThat(attributes.verb()).isIn(VERBS);
      assertThat(attributes.resource()).isNotEmpty();
    } else {
      assertThat(attributes.verb()).isEqualTo(method.toLowerCase(java.util.Locale.ROOT));
    }
    RequestTarget again = RequestTarget.parse(target.render());
    assertThat(again).as("render of %s", raw).isEqualTo(target);
    assertThat(K8sRequestParser.parse(method, again)).isEqualTo(attributes);
  }

  private static Outcome parse(String method, String raw) {
    try {
      RequestTarget target = RequestTarget.parse(raw);
      return new Outcome(target, K8sRequestParser.parse(method, target), null);
    } catch (K8sRequestException refused) {
      return new Outcome(null, null, refused);
    }
  }

  /** What one parse gave: a target and its attributes, or the parser's refusal. */
  private record Outcome(RequestTarget target, K8sAttributes attributes, K8sRequestException refused) {}
}
