package portcullis.postgres_test

import data.portcullis.postgres

# Fixtures shared by every test file in this package.

base_stmt := {
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

stmt(fields) := object.union(base_stmt, fields)

select := base_stmt

insert := stmt({"command": "INSERT", "type": "write", "tables": [{"schema": "public", "name": "orders", "access": "write"}]})

req(groups, stmts) := {
	"version": 1,
	"session": {"id": "ses_1", "protocol": "postgres", "target": "orders-db"},
	"identity": {"subject": "ci-runner-7", "groups": groups, "claims": {}, "method": "oidc_jwt"},
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

allowed(groups, stmts) if {
	postgres.allow with input as req(groups, stmts)
	count(postgres.deny) == 0 with input as req(groups, stmts)
}

# Denied with exactly these reasons.
denied(groups, stmts, reasons) if {
	postgres.deny == reasons with input as req(groups, stmts)
}

# Tests of postgres.rego: well-formedness, reasons, multi-statement, cache facts.

test_reader_may_select if {
	allowed(["readers"], [select])
}

test_empty_statement_list_is_allowed if {
	allowed(["readers"], [])
}

test_caller_without_gateway_group_gets_no_access if {
	denied(["ci"], [select], {"no group grants access to orders-db"})
	not postgres.allow with input as req(["ci"], [select])
}

test_caller_without_groups_is_denied_even_an_empty_query if {
	denied([], [], {"no group grants access to orders-db"})
}

test_caller_without_gateway_group_still_sees_forbidden_reasons if {
	denied(["ci"], [stmt({"command": "DROP TABLE", "type": "ddl"})], {
		"no group grants access to orders-db",
		"DROP is never allowed through the gateway",
	})
}

test_missing_target_is_named_generically if {
	reasons := postgres.deny with input as object.remove(req([], [select]), ["session"])
	reasons == {"no group grants access to this target"}
}

test_multi_statement_all_granted_is_allowed if {
	allowed(["writers"], [stmt({"command": "BEGIN", "type": "transaction", "tables": []}), select, insert, stmt({"command": "COMMIT", "type": "transaction", "tables": []})])
}

test_multi_statement_with_one_denied_statement_is_denied if {
	denied(["readers"], [select, insert, select], {"INSERT needs group writers on orders-db"})
	not postgres.allow with input as req(["readers"], [select, insert, select])
}

test_multi_statement_reports_each_denied_statement if {
	denied(["writers"], [select, stmt({"command": "TRUNCATE", "type": "ddl"}), stmt({"command": "DELETE", "type": "write", "has_where": false})], {
		"TRUNCATE is never allowed through the gateway",
		"DELETE without WHERE is not allowed",
	})
}

test_request_of_another_kind_is_denied if {
	r := json.patch(req(["readers"], [select]), [{"op": "replace", "path": "/request/kind", "value": "exec"}])
	"the SQL request could not be analysed, so it is denied" in postgres.deny with input as r
	not postgres.allow with input as r
}

test_statements_that_are_not_a_list_are_denied if {
	r := json.patch(req(["readers"], []), [{"op": "replace", "path": "/request/statements", "value": {"0": select}}])
	"the SQL request could not be analysed, so it is denied" in postgres.deny with input as r
	not postgres.allow with input as r
}

test_statement_without_command_is_denied if {
	denied(["readers"], [object.remove(select, ["command"])], {"the SQL request could not be analysed, so it is denied"})
}

test_statement_without_tables_list_is_denied if {
	denied(["readers"], [stmt({"tables": null})], {"the SQL request could not be analysed, so it is denied"})
}

test_ungranted_set_names_the_setting if {
	denied(["writers"], [stmt({"command": "SET", "type": "session", "tables": [], "setting": "work_mem"})], {"no group grants SET work_mem on orders-db"})
}

test_ungranted_set_without_setting_names_only_the_command if {
	denied(["writers"], [stmt({"command": "SET", "type": "session", "tables": []})], {"no group grants SET on orders-db"})
}

test_parse_error_must_not_be_cached if {
	count(postgres.no_cache) == 1 with input as req(["readers"], [stmt({"command": "UNKNOWN", "type": "other", "parse_error": "syntax error at or near \"'secret'\""})])
}

test_plain_statements_may_be_cached if {
	count(postgres.no_cache) == 0 with input as req(["readers"], [select, insert])
}
