package portcullis_test

import data.portcullis

with_fields(s, fields) := object.union(s, fields)

denied_with(groups, s, reason) if {
	d := portcullis.decision with input as req(groups, [s])
	d.allow == false
	reason in d.reasons
}

allowed(groups, s) if {
	d := portcullis.decision with input as req(groups, [s])
	d.allow == true
}

test_reader_may_not_write if {
	denied_with(["readers"], stmt("INSERT", "write"), "INSERT needs group writers")
}

test_writer_may_insert if {
	allowed(["writers"], stmt("INSERT", "write"))
}

test_writer_may_update_with_where if {
	allowed(["writers"], with_fields(stmt("UPDATE", "write"), {"has_where": true}))
}

test_update_without_where_is_denied if {
	denied_with(["writers"], with_fields(stmt("UPDATE", "write"), {"has_where": false}), "UPDATE or DELETE without WHERE is not allowed")
}

test_delete_hidden_in_a_cte_without_where_is_denied if {
	denied_with(["writers"], with_fields(stmt("SELECT", "write"), {"has_where": false}), "UPDATE or DELETE without WHERE is not allowed")
}

test_data_modifying_cte_needs_writers if {
	denied_with(["readers"], with_fields(stmt("SELECT", "write"), {"has_where": true}), "SELECT needs group writers")
}

test_drop_is_never_allowed if {
	denied_with(["writers"], stmt("DROP TABLE", "ddl"), "DROP is never allowed through the gateway")
}

test_truncate_is_never_allowed if {
	denied_with(["writers"], stmt("TRUNCATE", "ddl"), "TRUNCATE is never allowed through the gateway")
}

test_ddl_is_reported_as_not_granted_when_nothing_else_denies if {
	denied_with(["writers"], stmt("CREATE TABLE", "ddl"), "CREATE TABLE (ddl) is not granted to any group")
}

test_alter_role_is_never_allowed if {
	denied_with(["writers"], stmt("ALTER ROLE", "admin"), "ALTER ROLE is never allowed through the gateway")
}

test_grant_is_never_allowed if {
	denied_with(["writers"], stmt("GRANT", "admin"), "GRANT is never allowed through the gateway")
}

test_copy_to_program_is_never_allowed if {
	s := with_fields(stmt("COPY", "admin"), {"copy": {"direction": "to", "endpoint": "program", "target": "x"}})
	denied_with(["writers"], s, "COPY to PROGRAM is never allowed through the gateway")
}

test_copy_from_file_is_never_allowed if {
	s := with_fields(stmt("COPY", "admin"), {"copy": {"direction": "from", "endpoint": "file", "target": "/x"}})
	denied_with(["writers"], s, "COPY from FILE is never allowed through the gateway")
}

test_copy_to_stdout_is_a_read if {
	allowed(["readers"], with_fields(stmt("COPY", "read"), {"copy": {"direction": "to", "endpoint": "stdout", "target": null}}))
}

test_copy_from_stdin_needs_writers if {
	s := with_fields(stmt("COPY", "write"), {"copy": {"direction": "from", "endpoint": "stdin", "target": null}})
	denied_with(["readers"], s, "COPY needs group writers")
	allowed(["writers"], s)
}

test_dangerous_functions_are_denied if {
	denied_with(["readers"], with_fields(select, {"functions": ["upper", "pg_read_file"]}), "function pg_read_file is not allowed")
	denied_with(["readers"], with_fields(select, {"functions": ["lo_import"]}), "function lo_import is not allowed")
	denied_with(["readers"], with_fields(select, {"functions": ["set_config"]}), "function set_config is not allowed")
}

test_every_dblink_function_is_denied if {
	denied_with(["readers"], with_fields(select, {"functions": ["dblink_exec"]}), "function dblink_exec is not allowed")
}

test_harmless_functions_are_allowed if {
	allowed(["readers"], with_fields(select, {"functions": ["upper", "count", "now"]}))
}

test_set_role_is_denied if {
	denied_with(["writers"], with_fields(stmt("SET ROLE", "session"), {"setting": "role"}), "SET ROLE is not allowed: the gateway's identity is fixed")
}

test_set_session_authorization_is_denied if {
	s := with_fields(stmt("SET SESSION AUTHORIZATION", "session"), {"setting": "session authorization"})
	denied_with(["writers"], s, "SET SESSION AUTHORIZATION is not allowed: the gateway's identity is fixed")
}

test_reset_role_is_denied if {
	denied_with(["writers"], with_fields(stmt("RESET ROLE", "session"), {"setting": "role"}), "RESET ROLE is not allowed: the gateway's identity is fixed")
}

test_set_search_path_is_denied if {
	denied_with(["readers"], with_fields(stmt("SET", "session"), {"setting": "search_path"}), "changing search_path is not allowed")
}

test_set_client_encoding_is_denied if {
	denied_with(["readers"], with_fields(stmt("SET", "session"), {"setting": "client_encoding"}), "changing client_encoding is not allowed")
}

test_set_application_name_is_allowed if {
	allowed(["readers"], with_fields(stmt("SET", "session"), {"setting": "application_name"}))
}

test_show_anything_is_allowed if {
	allowed(["readers"], with_fields(stmt("SHOW", "session"), {"setting": "search_path"}))
}

test_transactions_are_allowed if {
	allowed(["readers"], stmt("BEGIN", "transaction"))
	allowed(["writers"], stmt("COMMIT", "transaction"))
}

test_do_blocks_are_denied if {
	denied_with(["writers"], stmt("DO", "other"), "DO blocks run code the gateway cannot inspect")
}

test_prepare_in_sql_is_denied if {
	denied_with(["writers"], stmt("PREPARE", "other"), "PREPARE in SQL hides the statement from the gateway; use the protocol's prepared statements")
}

test_unparsable_sql_is_denied if {
	s := with_fields(stmt("UNKNOWN", "other"), {"parse_error": "unexpected token"})
	denied_with(["writers"], s, "SQL that cannot be parsed is denied: unexpected token")
}

test_other_admin_commands_are_denied if {
	denied_with(["writers"], stmt("VACUUM", "admin"), "VACUUM is not allowed through the gateway")
}
