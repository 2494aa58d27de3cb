package portcullis.postgres_test

import data.portcullis.postgres

update := {
	"command": "UPDATE",
	"type": "write",
	"tables": [{"schema": null, "name": "orders", "access": "write"}],
	"functions": [],
	"has_where": true,
	"parse_error": null,
	"copy": null,
	"setting": null,
	"columns": [],
}

read := object.union(update, {"command": "SELECT", "type": "read", "has_where": null, "tables": [{"schema": null, "name": "orders", "access": "read"}]})

sql_input(groups, stmts, approval) := {
	"session": {"protocol": "postgres", "target": "orders-db"},
	"identity": {"subject": "agent-7", "groups": groups},
	"request": {"kind": "sql", "statements": stmts},
	"context": {"approval": approval},
}

test_an_agents_write_is_allowed_but_needs_approval_by_dba if {
	doc := sql_input(["readers", "agents"], [update], null)
	postgres.allow with input as doc
	postgres.approval.required with input as doc
	postgres.approval.approvers == ["group:dba"] with input as doc
	postgres.approval.reason == "writes by agents on orders-db need a second person" with input as doc
	"the decision depends on an approval" in postgres.no_cache with input as doc
}

test_an_approved_write_needs_no_new_approval_and_is_not_cached if {
	doc := sql_input(["readers", "agents"], [update], {"id": "apr_x", "state": "approved"})
	postgres.allow with input as doc
	postgres.approval == null with input as doc
	"the decision read input.context.approval" in postgres.no_cache with input as doc
}

test_an_agents_read_needs_no_approval if {
	doc := sql_input(["readers", "agents"], [read], null)
	postgres.allow with input as doc
	postgres.approval == null with input as doc
}

test_writers_need_no_approval if {
	doc := sql_input(["writers", "agents"], [update], null)
	postgres.allow with input as doc
	postgres.approval == null with input as doc
}

test_an_agent_without_a_reader_group_is_still_denied if {
	doc := sql_input(["agents"], [update], null)
	"no group grants access to orders-db" in postgres.deny with input as doc
}

test_an_agents_select_that_writes_a_sequence_needs_approval if {
	doc := sql_input(["readers", "agents"], [object.union(read, {"functions": ["setval"]})], null)
	postgres.allow with input as doc
	postgres.approval.required with input as doc
}
