package io.portcullis.config;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reading the repository's deployment files (compose, Kubernetes) for DeploymentManifestsTest. */
final class Manifests {

  private static final YAMLMapper YAML = new YAMLMapper();

  private Manifests() {}

  /** The repository root: the nearest directory above the working directory with scripts/versions.env. */
  static Path repoRoot() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("scripts/versions.env"))) {
      dir = dir.getParent();
    }
    return requireNonNull(dir, "no scripts/versions.env above " + System.getProperty("user.dir"));
  }

  /** Every YAML document in {@code file}, empty ones left out. */
  static List<JsonNode> documents(Path file) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
    return docs;
  }

  /** The only document of {@code file}. */
  static JsonNode document(Path file) {
    List<JsonNode> docs = documents(file);
    assertThat(docs).as(file.toString()).hasSize(1);
    return docs.getFirst();
  }

  /** YAML text parsed as one document. */
  static JsonNode parse(String source, String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": " + e.getMessage(), e);
    }
  }

  /** Every .yaml and .yml file under {@code dir}. */
  static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile)
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Kubernetes object of this kind and name among the documents of the files in {@code dir}. */
  static JsonNode object(Path dir, String kind, String name) {
    return objects(dir).stream()
        .filter(o -> kind.equals(o.path("kind").asText()) && name.equals(o.path("metadata").path("name").asText()))
        .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + dir));
  }

  /** Every Kubernetes object in the files directly in {@code dir}. */
  static List<JsonNode> objects(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted()
          .flatMap(f -> documents(f).stream()).filter(d -> d.has("kind")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The element of a list with this {@code name} field. */
  static JsonNode named(JsonNode list, String name) {
    for (JsonNode e : list) {
      if (name.equals(e.path("name").asText())) {
        return e;
      }
    }
    throw new AssertionError("no entry named " + name + " in " + list);
  }

  /** Text values of a list node. */
  static List<String> texts(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** Every value of an {@code image} key anywhere in {@code node}. */
  static List<String> images(JsonNode node) {
    List<String> out = new ArrayList<>();
    collect(node, "image", out);
    return out;
  }

  /** Every string value anywhere under a key ending in {@code suffix}, by dotted path. */
  static Map<String, String> valuesOfKeysEndingIn(JsonNode node, String suffix) {
    Map<String, String> out = new LinkedHashMap<>();
    walk(node, "", suffix, out);
    return out;
  }

  private static void collect(JsonNode node, String key, List<String> out) {
    if (node.isObject()) {
      node.properties().forEach(e -> {
        if (e.getKey().equals(key) && e.getValue().isTextual()) {
          out.add(e.getValue().asText());
        }
        collect(e.getValue(), key, out);
      });
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, key, out));
    }
  }

  private static void walk(JsonNode node, String path, String suffix, Map<String, String> out) {
    if (node.isObject()) {
      node.properties().forEach(e -> {
        String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (e.getKey().endsWith(suffix) && e.getValue().isTextual()) {
          out.put(p, e.getValue().asText());
        }
        walk(e.getValue(), p, suffix, out);
      });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), path + "[" + i + "]", suffix, out);
      }
    }
  }
}
