# Monitoring catalogue.
#
# The thresholds of the alert, approval and termination rules, and the groups
# they single out. Tune a deployment without editing Rego: put a data.json
# beside the policies (or in the bundle) with
#   {"portcullis": {"overrides": {"monitoring": {"thresholds": {"rate_spike_requests_per_minute": 600}}}}}
# and every threshold named there replaces the default below; the others stay.
package portcullis.monitoring

# Defaults for production. Counts are of the identity's activity on every
# target over the last minute, before the request being decided.
default_thresholds := {
	# Alert bulk_read: more rows returned than this in the last minute.
	"bulk_read_rows_per_minute": 100000,
	# Hold the next read for approval: a CI identity got more rows than this.
	"ci_bulk_read_approval_rows_per_minute": 50000,
	# Alert rate_spike: more requests than this in the last minute.
	"rate_spike_requests_per_minute": 3000,
	# Alert repeated_denials: at least this many denials in the last minute.
	"repeated_denials_per_minute": 5,
	# End the session: at least this many denials in the last minute.
	"terminate_denials_per_minute": 10,
}

default overrides := {}

overrides := data.portcullis.overrides.monitoring.thresholds

# METADATA
# description: The thresholds in force, defaults replaced by any overrides.
thresholds := object.union(default_thresholds, overrides)

# CI identities: their bulk reads wait for a person.
ci_groups := {"ci"}

# Groups whose first session from a source address never seen for them is
# denied (the alert new_source tells someone to look; the next session from
# that address is allowed).
pinned_source_groups := {"pinned_sources"}
