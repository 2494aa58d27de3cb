package io.portcullis.config;

/**
 * Where the gateway writes its decision log.
 *
 * @param decisions a file for one JSON line per decision, or null for standard output
 */
public record LogSettings(String decisions) {}
