package io.portcullis.audit;

import java.time.Instant;
import java.util.List;

/**
 * One session as {@code portcullis sessions list} shows it.
 *
 * @param id the session id
 * @param protocol its protocol
 * @param target its target
 * @param subject who
 * @param groups their groups
 * @param sourceIp from where
 * @param startedAt when it started
 * @param endedAt when it ended, or null while open (or when the end was not recorded)
 * @param durationMs how long it lasted, or null
 * @param endReason why it ended, or null
 * @param requests requests decided
 * @param allowed requests allowed
 * @param denied requests denied
 * @param approvals approval events
 */
public record SessionSummary(
    String id,
    String protocol,
    String target,
    String subject,
    List<String> groups,
    String sourceIp,
    Instant startedAt,
    Instant endedAt,
    Long durationMs,
    String endReason,
    long requests,
    long allowed,
    long denied,
    long approvals) {}
