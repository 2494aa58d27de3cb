package io.portcullis.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates the gateway's YAML configuration. Unknown keys are errors, not ignored;
 * {@code ${NAME}} in a string value is replaced by the environment variable NAME, and an unset one
 * is an error (see {@link EnvInterpolation}).
 */
public final class ConfigLoader {

  private static final ObjectMapper YAML =
      YAMLMapper.builder(new YAMLFactory())
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .addModule(new SimpleModule("portcullis-env")
              .addDeserializer(String.class, new EnvInterpolation.Deserializer()))
          .build();

  private ConfigLoader() {}

  /**
   * Loads and validates a configuration file, interpolating from the process environment.
   *
   * @throws ConfigException when the file is missing, malformed or invalid
   */
  public static GatewayConfig load(Path file) throws ConfigException {
    return load(file, System.getenv());
  }

  /**
   * Loads and validates a configuration file, interpolating {@code ${NAME}} from {@code env}.
   *
   * @throws ConfigException when the file is missing, malformed or invalid
   */
  public static GatewayConfig load(Path file, Map<String, String> env) throws ConfigException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file", e);
    } catch (IOException e) {
      throw new ConfigException(file + ": " + e.getMessage(), e);
    }
    return parse(file.toString(), text, env);
  }

  /** Parses and validates configuration text; {@code source} names it in errors. */
  public static GatewayConfig parse(String source, String yaml) throws ConfigException {
    return parse(source, yaml, System.getenv());
  }

  /**
   * Parses and validates configuration text, interpolating {@code ${NAME}} from {@code env};
   * {@code source} names it in errors.
   */
  public static GatewayConfig parse(String source, String yaml, Map<String, String> env)
      throws ConfigException {
    GatewayConfig config;
    List<String> problems = new ArrayList<>();
    try {
      config = YAML.readerFor(GatewayConfig.class)
          .withAttribute(EnvInterpolation.ENV, Map.copyOf(env))
          .withAttribute(EnvInterpolation.PROBLEMS, problems)
          .readValue(yaml);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(
          source + ": unknown setting '" + e.getPropertyName() + "' at " + e.getPathReference(), e);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": " + e.getOriginalMessage() + location(e), e);
    }
    if (config == null) {
      throw new ConfigException(List.of(source + ": empty"));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    config.validate();
    return config;
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
  }
}
