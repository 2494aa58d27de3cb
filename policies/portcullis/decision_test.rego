package portcullis_test

import data.portcullis

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

insert := object.union(select, {"command": "INSERT", "type": "write", "tables": [{"schema": null, "name": "orders", "access": "write"}]})

drop := object.union(select, {"command": "DROP TABLE", "type": "ddl", "tables": [{"schema": null, "name": "orders", "access": "write"}]})

unparsable := object.union(select, {"command": "UNKNOWN", "type": "other", "tables": [], "parse_error": "syntax error at or near \"'hunter2'\""})

req(groups, stmts) := {
	"version": 1,
	"session": {
		"id": "ses_1",
		"protocol": "postgres",
		"target": "orders-db",
		"started_at": "2026-11-22T21:00:00Z",
		"source": {"ip": "127.0.0.1", "port": 53122, "tls": true},
	},
	"identity": {
		"subject": "ci-runner-7",
		"issuer": "https://idp.example.com",
		"groups": groups,
		"claims": {},
		"method": "oidc_jwt",
	},
	"request": {
		"kind": "sql",
		"sql": "-- not read by the policy",
		"statements": stmts,
		"database": "orders",
		"message": "query",
		"statement_name": "",
		"fingerprint": "fp_1",
	},
	"context": {"now": "2026-11-22T21:00:01Z", "stats": {}, "approval": null},
}

without_fingerprint(r) := json.patch(r, [{"op": "replace", "path": "/request/fingerprint", "value": null}])

# The default thresholds, as the gateway checks them before reusing a decision.
cache := {"ttl_s": 30, "scope": "fingerprint", "stats_at_least": {}, "stats_below": {
	"new_source": 1,
	"rows_returned_last_minute": 100001,
	"requests_last_minute": 3001,
	"denied_last_minute": 5,
}}

patterns := [
	{"pattern": "credit_card", "strategy": "partial"},
	{"pattern": "secret", "strategy": "redact"},
]

# A read masks data patterns, and its decision is cacheable all the same: the
# rules follow from who asks and what the statement reads, and the gateway
# masks every result anew.
test_reader_select_is_allowed_with_pattern_masks_and_cacheable if {
	portcullis.decision == {
		"allow": true,
		"reasons": [],
		"mask": patterns,
		"mask_notice": true,
		"approval": null,
		"record": "metadata",
		"alerts": [],
		"terminate": false,
		"cache": cache,
	} with input as req(["readers"], [select])
}

test_pii_readers_get_no_mask_and_no_notice if {
	d := portcullis.decision with input as req(["readers", "pii_readers"], [select])
	d.mask == []
	d.mask_notice == false
}

test_an_agents_write_is_held_for_approval_and_never_cached if {
	update := object.union(insert, {"command": "UPDATE", "has_where": true})
	d := portcullis.decision with input as req(["readers", "agents"], [update])
	d.allow == true
	d.approval.required == true
	d.approval.approvers == ["group:dba"]
	not "cache" in object.keys(d)
}

test_select_of_masked_table_masks_its_columns if {
	customers := object.union(select, {
		"tables": [{"schema": null, "name": "customers", "access": "read"}],
		"columns": [{"schema": null, "table": "customers", "column": "email", "usage": "projection"}],
	})
	d := portcullis.decision with input as req(["readers"], [customers])
	d.allow == true
	d.mask == [
		{"table": "customers", "column": "card_number", "strategy": "partial"},
		{"table": "customers", "column": "email", "strategy": "partial"},
		{"table": "customers", "column": "ssn", "strategy": "redact"},
		{"pattern": "credit_card", "strategy": "partial"},
		{"pattern": "secret", "strategy": "redact"},
	]
	d.cache == cache
}

test_denied_masking_bypass_masks_nothing_and_is_cacheable if {
	bypass := object.union(select, {
		"tables": [{"schema": null, "name": "customers", "access": "read"}],
		"columns": [{"schema": null, "table": "customers", "column": "email", "usage": "filter"}],
	})
	d := portcullis.decision with input as req(["readers"], [bypass])
	d.allow == false
	d.reasons == ["column customers.email is masked: it may only be selected as it is, not used in a filter"]
	d.mask == []
	d.cache == cache
}

test_allowed_write_is_cacheable_by_fingerprint if {
	d := portcullis.decision with input as req(["writers"], [insert])
	d.allow == true
	d.reasons == []
	d.cache == cache
}

test_read_then_write_masks_and_is_cacheable if {
	d := portcullis.decision with input as req(["writers"], [select, insert])
	d.allow == true
	d.mask == patterns
	d.cache == cache
}

test_empty_query_is_allowed_and_cacheable if {
	d := portcullis.decision with input as req(["readers"], [])
	d.allow == true
	d.cache.scope == "fingerprint"
}

test_write_without_fingerprint_is_not_cacheable if {
	d := portcullis.decision with input as without_fingerprint(req(["writers"], [insert]))
	d.allow == true
	not "cache" in object.keys(d)
}

test_deny_is_cacheable if {
	d := portcullis.decision with input as req(["writers"], [drop])
	d.allow == false
	d.reasons == ["DROP is never allowed through the gateway"]
	d.cache == cache
}

test_deny_without_fingerprint_is_not_cacheable if {
	d := portcullis.decision with input as without_fingerprint(req(["writers"], [drop]))
	d.allow == false
	not "cache" in object.keys(d)
}

test_deny_quoting_a_parse_error_is_not_cacheable if {
	d := portcullis.decision with input as req(["readers"], [unparsable])
	d.allow == false
	d.reasons == ["SQL that cannot be parsed is denied: syntax error at or near \"'hunter2'\""]
	not "cache" in object.keys(d)
}

test_deny_wins_over_allow if {
	d := portcullis.decision with input as req(["writers"], [drop])
		with data.portcullis.postgres.allow as true
	d.allow == false
}

test_reasons_are_sorted if {
	d := portcullis.decision with input as req(["readers"], [insert, drop])
	d.reasons == ["DROP is never allowed through the gateway", "INSERT needs group writers on orders-db"]
}

test_multi_statement_is_allowed_only_if_every_statement_is if {
	portcullis.allow with input as req(["writers"], [select, insert, select])
	not portcullis.allow with input as req(["writers"], [select, insert, drop])
}

test_caller_without_gateway_group_is_denied if {
	d := portcullis.decision with input as req(["ci"], [select])
	d.allow == false
	d.reasons == ["no group grants access to orders-db"]

	# A CI identity's bulk reads are held sooner, so its decisions are reused for fewer rows.
	d.cache == object.union(cache, {"stats_below": {"rows_returned_last_minute": 50001}})
}

test_unauthenticated_request_is_denied if {
	r := object.remove(req(["readers"], [select]), ["identity"])
	d := portcullis.decision with input as r
	d.allow == false
	"request has no authenticated identity" in d.reasons
}

test_other_protocol_has_no_policy_yet if {
	r := json.patch(req(["readers"], [select]), [{"op": "replace", "path": "/session/protocol", "value": "gopher"}])
	d := portcullis.decision with input as r
	d.allow == false
	d.reasons == ["no policy for protocol gopher"]
}

test_missing_protocol_has_no_policy if {
	r := object.remove(req(["readers"], [select]), ["session"])
	d := portcullis.decision with input as r
	d.allow == false
	d.reasons == ["no policy for protocol null"]
}

test_empty_input_is_denied_with_reasons if {
	d := portcullis.decision with input as {}
	d.allow == false
	d.reasons == ["no policy for protocol null", "request has no authenticated identity"]
	not "cache" in object.keys(d)
}

test_deny_without_any_reason_still_says_why if {
	d := portcullis.decision with input as req(["readers"], [select])
		with data.portcullis.postgres.allow as false
	d.allow == false
	d.reasons == ["no policy rule allows this request"]
}

test_defaults_for_mask_alerts_approval_and_record if {
	d := portcullis.decision with input as req(["writers"], [insert])
	d.mask == []
	d.alerts == []
	d.approval == null
	d.record == "metadata"
}

test_request_without_input_is_denied_with_reasons if {
	portcullis.decision.allow == false
	portcullis.decision.reasons == ["no policy for protocol null", "request has no authenticated identity"]
}

test_agents_are_recorded_in_full_and_stay_cacheable if {
	customers := object.union(select, {
		"tables": [{"schema": null, "name": "customers", "access": "read"}],
		"columns": [{"schema": null, "table": "customers", "column": "email", "usage": "projection"}],
	})
	d := portcullis.decision with input as req(["readers", "agents"], [customers])
	d.allow == true
	d.record == "full"
	d.cache == cache
	{"table": "customers", "column": "email", "strategy": "partial"} in d.mask
}

test_a_denied_agent_request_is_recorded_in_full_too if {
	d := portcullis.decision with input as req(["readers", "agents"], [drop])
	d.allow == false
	d.record == "full"
}

test_everyone_else_is_recorded_as_metadata if {
	d := portcullis.decision with input as req(["readers", "pii_readers"], [select])
	d.record == "metadata"
}
