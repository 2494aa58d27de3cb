package io.portcullis.pg;

import io.portcullis.protocol.pg.StartupMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The client's startup parameters, checked: which target it asks for, and which parameters go on
 * to the server. Parameters that could change how the server reads SQL or who the session runs as
 * ({@code options}, {@code replication}, a non-UTF-8 {@code client_encoding}, anything unknown)
 * are refused rather than dropped, so the client knows.
 *
 * @param user the user name the client gave (informational: the token decides who it is)
 * @param database the target the client asks for
 * @param forwarded parameters for the server's StartupMessage
 * @param unrecognizedOptions protocol options ({@code _pq_.*}) the gateway does not support
 */
record PgStartupParameters(String user, String database, Map<String, String> forwarded,
    List<String> unrecognizedOptions) {

  /** Parameters passed on to the server as the client sent them. */
  private static final Set<String> PASSED_ON =
      Set.of("application_name", "DateStyle", "TimeZone", "extra_float_digits", "IntervalStyle");
  private static final Set<String> UTF8_NAMES = Set.of("utf8", "utf-8", "unicode", "auto");

  static PgStartupParameters of(StartupMessage message) throws PgRefusal {
    Map<String, String> params = message.parameters();
    String user = params.get("user");
    if (user == null || user.isEmpty()) {
      throw new PgRefusal(PgErrors.INVALID_AUTHORIZATION, "no user name given in the startup packet");
    }
    String database = params.getOrDefault("database", user);
    Map<String, String> forwarded = new LinkedHashMap<>();
    List<String> unrecognized = new ArrayList<>();
    for (var entry : params.entrySet()) {
      String name = entry.getKey();
      String value = entry.getValue();
      switch (name) {
        case "user", "database" -> { }
        case "replication" -> {
          if (!isFalse(value)) {
            throw new PgRefusal(PgErrors.INVALID_AUTHORIZATION,
                "replication connections are not allowed through the gateway");
          }
        }
        case "options" -> {
          if (!value.isBlank()) {
            throw new PgRefusal(PgErrors.INVALID_AUTHORIZATION,
                "the startup parameter 'options' is not allowed through the gateway");
          }
        }
        case "client_encoding" -> {
          if (!UTF8_NAMES.contains(value.toLowerCase(Locale.ROOT))) {
            throw new PgRefusal(PgErrors.FEATURE_NOT_SUPPORTED,
                "client_encoding " + value + " is not supported through the gateway (expected: UTF8)");
          }
        }
        default -> {
          if (name.startsWith("_pq_.")) {
            unrecognized.add(name);
          } else if (PASSED_ON.contains(name)) {
            forwarded.put(name, value);
          } else {
            throw new PgRefusal(PgErrors.FEATURE_NOT_SUPPORTED,
                "the startup parameter '" + name + "' is not allowed through the gateway");
          }
        }
      }
    }
    // The gateway reads SQL as UTF-8, so the server must send and expect UTF-8.
    forwarded.put("client_encoding", "UTF8");
    return new PgStartupParameters(user, database, Map.copyOf(forwarded), List.copyOf(unrecognized));
  }

  private static boolean isFalse(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "false", "off", "no", "0" -> true;
      default -> false;
    };
  }
}
