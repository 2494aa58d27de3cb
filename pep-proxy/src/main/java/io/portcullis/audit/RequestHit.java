package io.portcullis.audit;

import java.time.Instant;
import java.util.List;

/**
 * One request found by {@code portcullis audit search}.
 *
 * @param seq the record's seq
 * @param ts when it was decided
 * @param sessionId its session
 * @param subject who asked
 * @param target where to
 * @param requestNo its number in the session
 * @param text the SQL (or command line, or path) as recorded
 * @param commands the commands it ran (SELECT, DELETE, exec, get, ...)
 * @param tables the tables (schema.name) it touched
 * @param allow whether it was allowed
 * @param reasons the policy's reasons
 * @param decisionId OPA's decision id
 */
public record RequestHit(
    long seq,
    Instant ts,
    String sessionId,
    String subject,
    String target,
    long requestNo,
    String text,
    List<String> commands,
    List<String> tables,
    boolean allow,
    List<String> reasons,
    String decisionId) {}
