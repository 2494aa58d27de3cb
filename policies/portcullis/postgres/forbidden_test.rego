package portcullis.postgres_test

import data.portcullis.postgres

# Tests of forbidden.rego: nobody may, not even writers. Fixtures are in
# postgres_test.rego.

test_drop_of_anything_is_denied if {
	every command in ["DROP TABLE", "DROP ROLE", "DROP DATABASE", "DROP OWNED", "DROP"] {
		denied(["writers"], [stmt({"command": command, "type": "ddl", "tables": []})], {"DROP is never allowed through the gateway"})
	}
}

test_dropped_is_not_mistaken_for_drop if {
	denied(["writers"], [stmt({"command": "DROPPED", "type": "other", "tables": []})], {"no group grants DROPPED on orders-db"})
}

test_never_allowed_commands_are_denied_with_their_reason if {
	every command, reason in postgres.never_allowed_commands {
		denied(["writers"], [stmt({"command": command, "type": "admin", "tables": []})], {reason})
	}
}

test_truncate_is_denied if {
	denied(["writers"], [stmt({"command": "TRUNCATE", "type": "write", "tables": [{"schema": null, "name": "orders", "access": "write"}]})], {"TRUNCATE is never allowed through the gateway"})
}

test_grant_is_denied if {
	denied(["writers"], [stmt({"command": "GRANT", "type": "admin", "tables": []})], {"GRANT is never allowed through the gateway"})
}

test_do_block_is_denied if {
	denied(["writers"], [stmt({"command": "DO", "type": "other", "tables": []})], {"DO blocks are not allowed: they run code the gateway cannot inspect"})
}

test_prepare_and_execute_in_sql_are_denied if {
	denied(["writers"], [stmt({"command": "PREPARE", "type": "other"}), stmt({"command": "EXECUTE", "type": "other", "tables": []})], {
		"PREPARE in SQL is not allowed: it hides the statement from policy (use the extended protocol)",
		"EXECUTE in SQL is not allowed: it hides the statement from policy (use the extended protocol)",
	})
}

test_set_role_command_is_denied if {
	denied(["writers"], [stmt({"command": "SET ROLE", "type": "session", "tables": [], "setting": "role"})], {"SET ROLE is not allowed: the gateway decides who you are"})
}

test_set_of_role_setting_is_denied if {
	denied(["readers"], [stmt({"command": "SET", "type": "session", "tables": [], "setting": "role"})], {"SET ROLE is not allowed: the gateway decides who you are"})
}

test_reset_of_session_authorization_setting_is_denied if {
	denied(["readers"], [stmt({"command": "RESET", "type": "session", "tables": [], "setting": "session authorization"})], {"RESET SESSION AUTHORIZATION is not allowed: the gateway decides who you are"})
}

test_set_search_path_is_denied if {
	denied(["writers"], [stmt({"command": "SET", "type": "session", "tables": [], "setting": "search_path"})], {"changing search_path is not allowed: it can shadow tables"})
}

test_unlisted_admin_command_is_denied if {
	denied(["writers"], [stmt({"command": "CHECKPOINT", "type": "admin", "tables": []})], {"CHECKPOINT is an administrative command and is never allowed through the gateway"})
}

test_unparsable_sql_is_denied_with_the_parse_error if {
	denied(["writers"], [stmt({"command": "UNKNOWN", "type": "other", "tables": [], "parse_error": "syntax error at or near \"FORM\""})], {"SQL that cannot be parsed is denied: syntax error at or near \"FORM\""})
}

test_parse_error_on_a_known_command_is_denied if {
	denied(["readers"], [stmt({"parse_error": "unterminated quoted string"})], {"SQL that cannot be parsed is denied: unterminated quoted string"})
}

test_unknown_command_without_parse_error_is_denied if {
	denied(["writers"], [stmt({"command": "UNKNOWN", "type": "other", "tables": []})], {"SQL that cannot be classified is denied"})
}

test_unknown_command_without_parse_error_field_is_denied if {
	denied(["writers"], [object.remove(stmt({"command": "UNKNOWN", "type": "other", "tables": []}), ["parse_error"])], {"SQL that cannot be classified is denied"})
}

test_update_and_delete_without_where_are_denied if {
	every command in ["UPDATE", "DELETE", "MERGE"] {
		denied(["writers"], [object.union(insert, {"command": command, "has_where": false})], {sprintf("%v without WHERE is not allowed", [command])})
	}
}

test_update_with_unknown_where_is_denied if {
	denied(["writers"], [object.union(insert, {"command": "UPDATE", "has_where": null})], {"UPDATE without WHERE is not allowed"})
}

test_copy_to_program_is_denied if {
	denied(["writers"], [stmt({"command": "COPY", "copy": {"direction": "to", "endpoint": "program", "target": "curl"}})], {"COPY TO PROGRAM is not allowed: it reaches the database server's files or programs"})
}

test_copy_from_file_is_denied if {
	denied(["writers"], [stmt({"command": "COPY", "type": "write", "copy": {"direction": "from", "endpoint": "file", "target": "/etc/passwd"}})], {"COPY FROM FILE is not allowed: it reaches the database server's files or programs"})
}

test_copy_without_copy_details_is_denied if {
	denied(["writers"], [stmt({"command": "COPY"})], {"COPY without a known source or destination is denied"})
}

test_every_listed_function_is_denied if {
	every function in postgres.denied_functions {
		denied(["writers"], [stmt({"functions": [function]})], {sprintf("function %v is not allowed", [function])})
	}
}

test_dblink_and_every_dblink_function_are_denied if {
	every function in ["dblink", "dblink_exec", "dblink_connect", "dblink_send_query"] {
		denied(["readers"], [stmt({"functions": [function]})], {sprintf("function %v is not allowed", [function])})
	}
}

test_function_families_are_denied_by_prefix if {
	every function in ["pg_ls_waldir", "pg_file_write", "pg_logical_slot_get_changes", "pg_stat_reset_shared", "lo_truncate"] {
		denied(["readers"], [stmt({"functions": [function]})], {sprintf("function %v is not allowed", [function])})
	}
}

test_schema_qualified_upper_case_function_is_denied if {
	denied(["readers"], [stmt({"functions": ["pg_catalog.PG_READ_FILE"]})], {"function pg_read_file is not allowed"})
}

test_harmless_functions_are_allowed if {
	allowed(["readers"], [stmt({"functions": ["lower", "now", "count", "current_setting", "pg_sleep"]})])
}

test_forbidden_wins_over_a_grant if {
	r := req(["readers"], [stmt({"functions": ["pg_read_file"]})])
	postgres.allow with input as r
	"function pg_read_file is not allowed" in postgres.deny with input as r
}

test_statistics_views_are_not_readable_because_they_show_masked_values if {
	denied(["readers", "pii_readers"], [stmt({"tables": [{"schema": "pg_catalog", "name": "pg_stats", "access": "read"}]})], {"table pg_stats may not be read through the gateway: it shows the values of every column, masked ones too"})
}

test_pg_stat_activity_is_not_readable_because_sessions_share_one_role if {
	denied(["readers"], [stmt({"tables": [{"schema": null, "name": "pg_stat_activity", "access": "read"}]})], {"table pg_stat_activity may not be read through the gateway: every gateway session shares one role, so it shows every identity's SQL"})
}

test_functions_called_in_attribute_notation_are_denied_like_any_other if {
	denied(["readers"], [stmt({"functions": ["lo_creat"]})], {"function lo_creat is not allowed"})
	denied(["readers"], [stmt({"functions": ["pg_notify"]})], {"function pg_notify is not allowed"})
	denied(["readers"], [stmt({"functions": ["crosstab3"]})], {"function crosstab3 is not allowed"})
}
