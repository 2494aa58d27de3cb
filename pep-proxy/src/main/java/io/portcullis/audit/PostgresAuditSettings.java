package io.portcullis.audit;

import java.util.List;
import java.util.Map;

/**
 * Where the PostgreSQL audit store writes: schema {@code portcullis_audit}, one table.
 *
 * @param url a JDBC URL ({@code jdbc:postgresql://host:5432/audit}), or null to build one from
 *     host, port and database
 * @param host the server host
 * @param port the server port, default 5432
 * @param database the database
 * @param user the role the gateway logs in as (INSERT and SELECT only, see the schema SQL)
 * @param passwordEnv the environment variable holding its password, or null
 * @param chain this gateway's chain name, so several gateways can share one table; default
 *     {@code gateway}
 * @param batchRecords the most records per INSERT batch, default 500
 */
public record PostgresAuditSettings(
    String url,
    String host,
    Integer port,
    String database,
    String user,
    String passwordEnv,
    String chain,
    Integer batchRecords) {

  public PostgresAuditSettings {
    port = port == null ? 5432 : port;
    chain = chain == null ? "gateway" : chain;
    batchRecords = batchRecords == null ? 500 : batchRecords;
  }

  /**
   * Opens a connection to the audit database as {@code user}, named {@code applicationName} in
   * pg_stat_activity, with short connect and socket timeouts so that an outage is noticed quickly.
   */
  public java.sql.Connection connect(String password, String applicationName) throws java.sql.SQLException {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("connectTimeout", "2");
    props.setProperty("socketTimeout", "10");
    props.setProperty("tcpKeepAlive", "true");
    props.setProperty("reWriteBatchedInserts", "true");
    props.setProperty("ApplicationName", applicationName);
    return java.sql.DriverManager.getConnection(jdbcUrl(), props);
  }

  /** The JDBC URL to connect to. */
  public String jdbcUrl() {
    return url != null ? url : "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** The password from the environment, or null when none is configured. */
  public String password(Map<String, String> env) {
    if (passwordEnv == null) {
      return null;
    }
    String value = env.get(passwordEnv);
    if (value == null) {
      throw new IllegalStateException("audit.postgres.password_env: " + passwordEnv + " is not set");
    }
    return value;
  }

  void validate(List<String> errors) {
    if (url == null) {
      if (host == null) {
        errors.add("audit.postgres.host: missing (expected: host or url)");
      }
      if (database == null) {
        errors.add("audit.postgres.database: missing (expected: database or url)");
      }
      AuditSettings.range(errors, "audit.postgres.port", port, 1, 65535);
    } else if (!url.startsWith("jdbc:postgresql:")) {
      errors.add("audit.postgres.url: " + url + " (expected: jdbc:postgresql://host:port/database)");
    }
    if (user == null) {
      errors.add("audit.postgres.user: missing");
    }
    if (!chain.matches("[A-Za-z0-9_.-]{1,64}")) {
      errors.add("audit.postgres.chain: " + chain + " (expected: 1..64 of A-Z a-z 0-9 _ . -)");
    }
    AuditSettings.range(errors, "audit.postgres.batch_records", batchRecords, 1, 100_000);
  }
}
