/**
 * Continuous monitoring: sliding-window activity per identity (and per identity and target) that
 * fills {@code input.context.stats} of every request document, routing of the alerts decisions
 * raise to the audit log and the approval webhooks, and the gateway's Prometheus metrics.
 *
 * <p>All of it is per gateway instance: with several instances, each counts what it sees.
 */
package io.portcullis.monitor;
