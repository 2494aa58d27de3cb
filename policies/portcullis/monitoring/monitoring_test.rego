package portcullis.monitoring_test

import data.portcullis
import data.portcullis.monitoring

select := {
	"command": "SELECT",
	"type": "read",
	"tables": [{"schema": null, "name": "orders", "access": "read"}],
	"functions": [],
	"has_where": null,
	"parse_error": null,
	"copy": null,
	"setting": null,
	"columns": [],
}

req(groups, stats) := {
	"version": 1,
	"session": {
		"id": "ses_1",
		"protocol": "postgres",
		"target": "orders-db",
		"source": {"ip": "10.0.0.9", "port": 53122, "tls": true},
	},
	"identity": {"subject": "ci-runner-7", "issuer": "https://idp.example.com", "groups": groups},
	"request": {"kind": "sql", "statements": [select], "fingerprint": "fp_1"},
	"context": {"now": "2026-11-22T21:00:01Z", "stats": stats, "approval": null},
}

quiet := {"requests_last_minute": 3, "rows_returned_last_minute": 10, "denied_last_minute": 0, "new_source": false}

test_quiet_activity_raises_nothing_and_stays_cacheable if {
	d := portcullis.decision with input as req(["readers"], quiet)
	d.allow
	d.alerts == []
	d.terminate == false
	d.cache.stats_below == {"new_source": 1, "rows_returned_last_minute": 100001, "requests_last_minute": 3001, "denied_last_minute": 5}
}

test_no_stats_at_all_raises_nothing if {
	d := portcullis.decision with input as object.remove(req(["readers"], quiet), ["context"])
	d.alerts == []
	d.terminate == false
}

# An alert alone changes no verdict: the decision is reused while the count
# stays past the threshold, and judged again once it drops below.
test_bulk_read_over_the_threshold_alerts_and_is_cached_while_it_lasts if {
	d := portcullis.decision with input as req(["readers"], object.union(quiet, {"rows_returned_last_minute": 100001}))
	d.allow
	d.alerts == ["bulk_read"]
	d.cache.stats_at_least == {"rows_returned_last_minute": 100001}
	not "rows_returned_last_minute" in object.keys(d.cache.stats_below)
}

test_a_ci_bulk_read_between_its_two_thresholds_is_held_and_never_cached if {
	d := portcullis.decision with input as req(["readers", "ci"], object.union(quiet, {"rows_returned_last_minute": 60000}))
	d.approval.required
	not "cache" in object.keys(d)
}

test_bulk_read_at_the_threshold_does_not_alert if {
	d := portcullis.decision with input as req(["readers"], object.union(quiet, {"rows_returned_last_minute": 100000}))
	d.alerts == []
}

test_rate_spike_alerts_and_is_cached_while_it_lasts if {
	d := portcullis.decision with input as req(["readers"], object.union(quiet, {"requests_last_minute": 3001}))
	d.alerts == ["rate_spike"]
	d.cache.stats_at_least == {"requests_last_minute": 3001}
	d.cache.stats_below.denied_last_minute == 5
}

test_repeated_denials_between_alert_and_end_are_cached_in_that_range if {
	d := portcullis.decision with input as req(["readers"], object.union(quiet, {"denied_last_minute": 7}))
	d.alerts == ["repeated_denials"]
	d.cache.stats_at_least.denied_last_minute == 5
	d.cache.stats_below.denied_last_minute == 10
}

test_repeated_denials_alert_from_five_in_a_minute if {
	d := portcullis.decision with input as req(["readers"], object.union(quiet, {"denied_last_minute": 5}))
	d.alerts == ["repeated_denials"]
	d.allow
	d.terminate == false
}

test_ten_denials_in_a_minute_end_the_session if {
	d := portcullis.decision with input as req(["readers"], object.union(quiet, {"denied_last_minute": 10}))
	d.terminate == true
	d.allow == false
	d.reasons == ["the session is ended: 10 requests denied in the last minute (limit 10)"]
	"repeated_denials" in d.alerts
	not "cache" in object.keys(d)
}

test_a_new_source_alerts_and_is_not_cached if {
	d := portcullis.decision with input as req(["readers"], object.union(quiet, {"new_source": true}))
	d.allow
	d.alerts == ["new_source"]
	not "cache" in object.keys(d)
}

test_a_pinned_identitys_first_session_from_a_new_source_is_denied if {
	d := portcullis.decision with input as req(["readers", "pinned_sources"], object.union(quiet, {"new_source": true}))
	d.allow == false
	d.reasons == ["first session of ci-runner-7 from 10.0.0.9, a source address not seen for it before: denied for group pinned_sources until an operator has looked (the next session from it is allowed)"]
	d.alerts == ["new_source"]
	d.terminate == true
}

test_a_new_source_alone_ends_no_session_outside_pinned_groups if {
	d := portcullis.decision with input as req(["readers"], object.union(quiet, {"new_source": true}))
	d.allow
	d.terminate == false
}

test_a_pinned_identity_from_a_known_source_is_allowed if {
	d := portcullis.decision with input as req(["readers", "pinned_sources"], quiet)
	d.allow
}

test_thresholds_can_be_overridden_with_data if {
	d := portcullis.decision with input as req(["readers"], object.union(quiet, {"requests_last_minute": 4}))
		with data.portcullis.overrides.monitoring.thresholds as {"rate_spike_requests_per_minute": 3}
	d.alerts == ["rate_spike"]
	monitoring.thresholds.bulk_read_rows_per_minute == 100000 with data.portcullis.overrides.monitoring.thresholds as {"rate_spike_requests_per_minute": 3}
}

test_a_ci_identitys_bulk_read_waits_for_approval if {
	doc := req(["readers", "ci"], object.union(quiet, {"rows_returned_last_minute": 50001}))
	d := portcullis.decision with input as doc
	d.allow
	d.approval.required
	d.approval.approvers == ["group:dba"]
	d.approval.reason == "a bulk read by CI identity ci-runner-7 on orders-db: 50001 rows in the last minute (over 50000)"
	not "cache" in object.keys(d)
}

test_an_approved_ci_bulk_read_runs if {
	doc := json.patch(req(["readers", "ci"], object.union(quiet, {"rows_returned_last_minute": 50001})), [{"op": "replace", "path": "/context/approval", "value": {"id": "apr_1", "state": "approved"}}])
	d := portcullis.decision with input as doc
	d.allow
	d.approval == null
}

test_a_ci_identitys_reads_below_the_threshold_are_not_held if {
	d := portcullis.decision with input as req(["readers", "ci"], object.union(quiet, {"rows_returned_last_minute": 50000}))
	d.approval == null
	d.cache.stats_below.rows_returned_last_minute == 50001
}
