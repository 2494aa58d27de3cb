# PostgreSQL rules
# Which SQL statements identities may run. Every statement of a request must be allowed;
#   one denied statement denies the whole request.
package portcullis

statements := input.request.statements if supported_protocol

# Functions that read or write server files, open connections, run dynamic SQL or control
# other sessions. Extend this set rather than writing new rules.
dangerous_functions := {
	"pg_read_file", "pg_read_binary_file", "pg_ls_dir", "pg_stat_file", "pg_ls_logdir",
	"pg_ls_waldir", "pg_ls_tmpdir", "pg_ls_archive_statusdir",
	"lo_import", "lo_export", "lo_get", "lo_put", "lo_from_bytea", "lo_open", "lo_create",
	"lo_unlink", "lo_creat",
	"set_config", "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf",
	"pg_rotate_logfile", "pg_promote", "pg_switch_wal", "pg_create_restore_point",
	"query_to_xml", "query_to_xml_and_xmlschema", "query_to_xmlschema", "cursor_to_xml",
	"table_to_xml", "database_to_xml", "schema_to_xml",
	"pg_file_write", "pg_file_rename", "pg_file_unlink", "pg_logdir_ls",
}

# Settings any reader or writer may SET or RESET. search_path (table shadowing),
# client_encoding and standard_conforming_strings (how SQL bytes are read), role and session
# authorization are not among them.
settable := {
	"application_name", "extra_float_digits", "datestyle", "timezone", "statement_timeout",
	"lock_timeout", "idle_in_transaction_session_timeout", "intervalstyle",
	"default_transaction_isolation", "default_transaction_read_only", "transaction",
}

identity_commands := {
	"SET ROLE", "SET SESSION AUTHORIZATION", "RESET ROLE", "RESET SESSION AUTHORIZATION",
}

role_commands := {"ALTER ROLE", "CREATE ROLE", "DROP ROLE", "GRANT", "REVOKE", "ALTER SYSTEM"}

hidden_statement_commands := {"PREPARE", "EXECUTE", "PREPARE TRANSACTION"}

# Commands with a specific reason below; others of type admin or other get a general one.
specific_commands := (identity_commands | role_commands) | (hidden_statement_commands | {"DO", "COPY", "UNKNOWN"})

deny contains "DROP is never allowed through the gateway" if {
	some s in statements
	startswith(s.command, "DROP")
}

deny contains "TRUNCATE is never allowed through the gateway" if {
	some s in statements
	s.command == "TRUNCATE"
}

deny contains sprintf("%s is never allowed through the gateway", [s.command]) if {
	some s in statements
	s.command in role_commands
}

deny contains sprintf("%s is not allowed: the gateway's identity is fixed", [s.command]) if {
	some s in statements
	s.command in identity_commands
}

deny contains sprintf("COPY %s %s is never allowed through the gateway", [s.copy.direction, upper(s.copy.endpoint)]) if {
	some s in statements
	s.copy.endpoint in {"program", "file"}
}

deny contains sprintf("function %s is not allowed", [f]) if {
	some s in statements
	some f in s.functions
	dangerous_function(f)
}

dangerous_function(f) if f in dangerous_functions

dangerous_function(f) if startswith(f, "dblink")

deny contains sprintf("changing %s is not allowed", [s.setting]) if {
	some s in statements
	s.command in {"SET", "RESET"}
	not s.setting in settable
}

deny contains "DO blocks run code the gateway cannot inspect" if {
	some s in statements
	s.command == "DO"
}

deny contains sprintf("%s in SQL hides the statement from the gateway; use the protocol's prepared statements", [s.command]) if {
	some s in statements
	s.command in hidden_statement_commands
}

deny contains sprintf("SQL that cannot be parsed is denied: %s", [s.parse_error]) if {
	some s in statements
	s.parse_error != null
}

deny contains "UPDATE or DELETE without WHERE is not allowed" if {
	some s in statements
	s.has_where == false
}

deny contains sprintf("%s is not allowed through the gateway", [s.command]) if {
	some s in statements
	s.type in {"admin", "other"}
	not s.command in specific_commands
}

# What a group grants: reads, transactions and session settings to readers and writers,
# writes to writers; DDL to nobody.
not_granted contains no_access_reason if {
	supported_protocol
	not has_access
}

not_granted contains sprintf("%s needs group writers", [s.command]) if {
	has_access
	some s in statements
	s.type == "write"
	not is_writer
}

not_granted contains sprintf("%s (%s) is not granted to any group", [s.command, s.type]) if {
	has_access
	some s in statements
	s.type == "ddl"
}
