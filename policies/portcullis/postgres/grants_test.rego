package portcullis.postgres_test

import data.portcullis.postgres

# Tests of grants.rego. Fixtures (stmt, select, insert, req, allowed, denied)
# are in postgres_test.rego.

session_stmt(command, setting) := stmt({"command": command, "type": "session", "tables": [], "setting": setting})

copy_stmt(direction, endpoint, access) := stmt({
	"command": "COPY",
	"type": "read",
	"tables": [{"schema": null, "name": "orders", "access": access}],
	"copy": {"direction": direction, "endpoint": endpoint, "target": null},
})

test_writer_may_select if {
	allowed(["writers"], [select])
}

test_reader_may_explain_a_read if {
	allowed(["readers"], [stmt({"command": "EXPLAIN"})])
}

test_reader_may_not_explain_a_write if {
	denied(["readers"], [stmt({"command": "EXPLAIN", "type": "write", "tables": [{"schema": null, "name": "orders", "access": "write"}]})], {"no group grants EXPLAIN on orders-db"})
}

test_read_typed_statement_that_writes_a_table_is_not_a_read if {
	denied(["writers"], [stmt({"tables": [{"schema": null, "name": "orders", "access": "write"}]})], {"no group grants SELECT on orders-db"})
}

test_select_without_tables_is_a_read if {
	allowed(["readers"], [stmt({"tables": []})])
}

test_reader_may_copy_to_stdout if {
	allowed(["readers"], [copy_stmt("to", "stdout", "read")])
}

test_copy_to_stdout_of_a_written_table_is_not_a_read if {
	denied(["writers"], [copy_stmt("to", "stdout", "write")], {"no group grants COPY on orders-db"})
}

test_reader_may_not_copy_from_stdin if {
	denied(["readers"], [copy_stmt("from", "stdin", "write")], {"COPY needs group writers on orders-db"})
}

test_writer_may_copy_from_stdin if {
	allowed(["writers"], [copy_stmt("from", "stdin", "write")])
}

test_copy_to_stdin_makes_no_sense_and_is_denied if {
	denied(["writers"], [copy_stmt("to", "stdin", "read")], {"no group grants COPY on orders-db"})
}

test_writer_may_insert if {
	allowed(["writers"], [insert])
}

test_reader_may_not_insert if {
	denied(["readers"], [insert], {"INSERT needs group writers on orders-db"})
}

test_writer_may_update_delete_and_merge_with_where if {
	every command in ["UPDATE", "DELETE", "MERGE"] {
		allowed(["writers"], [object.union(insert, {"command": command, "has_where": true})])
	}
}

test_reader_may_not_update_with_where if {
	denied(["readers"], [object.union(insert, {"command": "UPDATE", "has_where": true})], {"UPDATE needs group writers on orders-db"})
}

test_ddl_is_granted_to_no_group if {
	denied(["writers"], [stmt({"command": "CREATE TABLE", "type": "ddl", "tables": [{"schema": null, "name": "t", "access": "write"}]})], {"no group grants CREATE TABLE on orders-db"})
}

test_call_is_granted_to_no_group if {
	denied(["writers"], [stmt({"command": "CALL", "type": "other", "tables": []})], {"no group grants CALL on orders-db"})
}

test_readers_may_control_transactions if {
	every command in postgres.transaction_commands {
		allowed(["readers"], [stmt({"command": command, "type": "transaction", "tables": []})])
	}
}

test_two_phase_commit_is_not_granted if {
	denied(["writers"], [stmt({"command": "PREPARE TRANSACTION", "type": "transaction", "tables": []})], {"no group grants PREPARE TRANSACTION on orders-db"})
}

test_readers_may_discard_and_deallocate if {
	every command in postgres.housekeeping_commands {
		allowed(["readers"], [stmt({"command": command, "type": "session", "tables": []})])
	}
}

test_readers_may_set_harmless_settings if {
	every setting in postgres.settable_settings {
		allowed(["readers"], [session_stmt("SET", setting)])
	}
}

test_setting_outside_the_allow_list_is_not_granted if {
	denied(["writers"], [session_stmt("SET", "standard_conforming_strings")], {"no group grants SET standard_conforming_strings on orders-db"})
}

test_readers_may_reset_all_and_search_path if {
	allowed(["readers"], [session_stmt("RESET", "all"), session_stmt("RESET", "search_path"), session_stmt("RESET", "timezone")])
}

test_reset_outside_the_allow_list_is_not_granted if {
	denied(["readers"], [session_stmt("RESET", "work_mem")], {"no group grants RESET work_mem on orders-db"})
}

test_readers_may_show_search_path_and_server_facts if {
	allowed(["readers"], [session_stmt("SHOW", "search_path"), session_stmt("SHOW", "server_version"), session_stmt("SHOW", "application_name")])
}

test_show_outside_the_allow_list_is_not_granted if {
	denied(["readers"], [session_stmt("SHOW", "data_directory")], {"no group grants SHOW data_directory on orders-db"})
}

test_show_typed_as_read_is_still_judged_by_setting if {
	denied(["readers"], [stmt({"command": "SHOW", "type": "read", "tables": [], "setting": "hba_file"})], {"no group grants SHOW hba_file on orders-db"})
}

test_writer_may_run_a_bounded_data_modifying_cte if {
	postgres.allow with input as req(["writers"], [stmt({"command": "SELECT", "type": "write", "has_where": true})])
}

test_writer_may_insert_through_a_cte if {
	postgres.allow with input as req(["writers"], [stmt({"command": "SELECT", "type": "write", "has_where": null})])
}

test_unbounded_delete_in_a_cte_is_denied if {
	not postgres.allow with input as req(["writers"], [stmt({"command": "SELECT", "type": "write", "has_where": false})])
}

test_reader_may_not_run_a_data_modifying_cte if {
	not postgres.allow with input as req(["readers"], [stmt({"command": "SELECT", "type": "write", "has_where": true})])
}

test_a_select_of_a_sequence_function_is_a_write if {
	nextval := stmt({"functions": ["nextval"]})
	denied(["readers"], [nextval], {"SELECT needs group writers on orders-db"})
	allowed(["writers"], [nextval])
	allowed(["writers"], [stmt({"functions": ["pg_catalog.setval"]})])
}

test_copy_of_a_query_that_writes_through_a_function_is_not_a_read if {
	copy := object.union(copy_stmt("to", "stdout", "read"), {"functions": ["nextval"]})
	not postgres.allow with input as req(["readers"], [copy])
}

test_client_encoding_may_be_shown_and_reset_but_not_set if {
	denied(["readers"], [session_stmt("SET", "client_encoding")], {"no group grants SET client_encoding on orders-db"})
	allowed(["readers"], [session_stmt("SHOW", "client_encoding")])
	allowed(["readers"], [session_stmt("RESET", "client_encoding")])
}
