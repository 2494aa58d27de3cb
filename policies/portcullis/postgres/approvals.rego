# PostgreSQL approvals.
#
# Identities in an approval group (AI agents, say) may write, but only one
# statement at a time and only once a person in an approver group has approved
# that very statement. The gateway holds the statement, asks the approvers, and
# when one approves asks again with the approval in input.context.approval:
# then the statement is allowed without a new hold.
package portcullis.postgres

import data.portcullis.identity
import data.portcullis.monitoring

# Groups whose writes each need an approval.
approval_groups := {"agents"}

# Who may approve them, as the gateway matches approvers.
approvers := ["group:dba"]

# How long a held statement waits for a decision.
approval_timeout_s := 900

# Writers write without approval; an approval group's writes are granted here
# and held by the approval below.
granted(stmt) if {
	needs_approval_for_writes
	write_statement(stmt)
}

needs_approval_for_writes if {
	identity.member_of_any(approval_groups)
	not identity.member_of_any(writer_groups)
}

# METADATA
# description: The request writes on behalf of an approval group, and no approval came with it yet.
approval_required if {
	needs_approval_for_writes
	some stmt in statements
	write_statement(stmt)
	not approval_granted
}

approval_granted if input.context.approval.state == "approved"

# METADATA
# description: >-
#   A CI identity that got more rows than its threshold in the last minute
#   reads more: a person approves each such read (see monitoring/catalog.rego).
bulk_read_hold if {
	monitoring.ci_bulk_read
	some stmt in statements
	stmt.type == "read"
	not approval_granted
}

approval_reasons contains sprintf("writes by %v on %v need a second person", [concat(", ", sort([g | some g in identity.groups; g in approval_groups])), target]) if approval_required

approval_reasons contains sprintf("a bulk read by CI identity %v on %v: %v rows in the last minute (over %v)", [input.identity.subject, target, monitoring.count_of("rows_returned_last_minute"), monitoring.thresholds.ci_bulk_read_approval_rows_per_minute]) if bulk_read_hold

# METADATA
# description: The approval object of the decision document, or null.
default approval := null

approval := {
	"required": true,
	"approvers": approvers,
	"timeout_s": approval_timeout_s,
	"reason": concat("; ", sort(approval_reasons)),
} if count(approval_reasons) > 0

no_cache contains "the decision depends on an approval" if count(approval_reasons) > 0

no_cache contains "the decision read input.context.approval" if approval_granted
