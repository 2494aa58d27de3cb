package io.portcullis.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and validates the gateway's YAML configuration. Unknown keys are errors, not ignored. */
public final class ConfigLoader {

  private static final ObjectMapper YAML =
      YAMLMapper.builder(new YAMLFactory())
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .build();

  private ConfigLoader() {}

  /**
   * Loads and validates a configuration file.
   *
   * @throws ConfigException when the file is missing, malformed or invalid
   */
  public static GatewayConfig load(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file", e);
    } catch (IOException e) {
      throw new ConfigException(file + ": " + e.getMessage(), e);
    }
    return parse(file.toString(), text);
  }

  /** Parses and validates configuration text; {@code source} names it in errors. */
  public static GatewayConfig parse(String source, String yaml) throws ConfigException {
    GatewayConfig config;
    try {
      config = YAML.readValue(yaml, GatewayConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(
          source + ": unknown setting '" + e.getPropertyName() + "' at " + e.getPathReference(), e);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": " + e.getOriginalMessage() + location(e), e);
    }
    if (config == null) {
      throw new ConfigException(java.util.List.of(source + ": empty"));
    }
    config.validate();
    return config;
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
  }
}
