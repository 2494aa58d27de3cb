# METADATA
# title: Monitoring
# description: >-
#   Protocol-neutral rules on the caller's recent activity
#   (input.context.stats): the alerts the gateway records and announces, the
#   denial of a pinned identity's first session from a new address, and the
#   end of a session after repeated denials. Every rule here reads volatile
#   context, so each one that fires adds to no_cache, and cache_guard says
#   under which counts a decision that none of them changed may be reused.
package portcullis.monitoring

import data.portcullis.identity

# METADATA
# description: The activity the gateway reported; an empty object when it reported none.
default stats := {}

stats := input.context.stats if is_object(input.context.stats)

# A missing counter counts as zero.
count_of(name) := object.get(stats, name, 0)

# METADATA
# description: Alerts on the caller's activity.
alerts contains "bulk_read" if bulk_read

alerts contains "rate_spike" if rate_spike

alerts contains "new_source" if new_source

alerts contains "repeated_denials" if repeated_denials

bulk_read if count_of("rows_returned_last_minute") > thresholds.bulk_read_rows_per_minute

rate_spike if count_of("requests_last_minute") > thresholds.rate_spike_requests_per_minute

repeated_denials if count_of("denied_last_minute") >= thresholds.repeated_denials_per_minute

new_source if stats.new_source == true

# METADATA
# description: End the session after too many denials in the last minute.
default terminate := false

terminate if too_many_denials

# A pinned identity's first connection from a new address is refused outright:
# the session ends with its first request, and the next one from there is allowed.
terminate if pinned_new_source

too_many_denials if count_of("denied_last_minute") >= thresholds.terminate_denials_per_minute

pinned_new_source if {
	identity.member_of_any(pinned_source_groups)
	new_source
}

# METADATA
# description: A CI identity that got more rows than its threshold in the last minute.
ci_bulk_read if {
	identity.member_of_any(ci_groups)
	count_of("rows_returned_last_minute") > thresholds.ci_bulk_read_approval_rows_per_minute
}

# METADATA
# description: Reasons to deny, whatever the protocol.
deny contains sprintf("first session of %v from %v, a source address not seen for it before: denied for group %v until an operator has looked (the next session from it is allowed)", [input.identity.subject, object.get(input, ["session", "source", "ip"], "an unknown address"), concat(", ", sort([g | some g in identity.groups; g in pinned_source_groups]))]) if {
	pinned_new_source
}

terminate_reason := sprintf("the session is ended: %v requests denied in the last minute (limit %v)", [count_of("denied_last_minute"), thresholds.terminate_denials_per_minute]) if too_many_denials

# METADATA
# description: Why this decision must not be reused, when a rule on stats fired.
no_cache contains "the decision ends the session" if terminate

no_cache contains "the session comes from a new source address" if new_source

no_cache contains "a CI identity's bulk read needs an approval" if ci_bulk_read

# The thresholds of each counter: a rule on it fires once the count is above
# one of them (denials: at least the limit, so the threshold is one less).
counter_thresholds := {
	"rows_returned_last_minute": {thresholds.bulk_read_rows_per_minute, rows_bound_ci},
	"requests_last_minute": {thresholds.rate_spike_requests_per_minute},
	"denied_last_minute": {thresholds.repeated_denials_per_minute - 1, thresholds.terminate_denials_per_minute - 1},
}

rows_bound_ci := thresholds.ci_bulk_read_approval_rows_per_minute if {
	identity.member_of_any(ci_groups)
} else := thresholds.bulk_read_rows_per_minute

# METADATA
# description: >-
#   The counts under which no further rule fires: a decision may be reused only
#   while each named counter stays below its bound (the gateway checks it
#   before every reuse; new_source counts as 1 when true), so a cached decision
#   never hides an alert, a denial, a hold or the end of a session.
cache_guard[name] := min(bounds) if {
	some name, limits in counter_thresholds
	bounds := {b | some t in limits; count_of(name) <= t; b := t + 1}
	count(bounds) > 0
}

cache_guard["new_source"] := 1

# METADATA
# description: >-
#   The counts a decision that raised an alert was made at: it may be reused
#   only while each named counter stays at least there, so that a rate spike
#   or a bulk read is judged by OPA once on the way up and once on the way
#   down, not on every request in between (its alerts, reused, are held back
#   by the gateway's alert_repeat_s).
cache_floor[name] := max(passed) + 1 if {
	some name, limits in counter_thresholds
	passed := {t | some t in limits; count_of(name) > t}
	count(passed) > 0
}
