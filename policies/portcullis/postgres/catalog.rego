# PostgreSQL catalog.
#
# The data sets behind the PostgreSQL rules: which groups grant what, which
# commands and settings are harmless, and which commands and functions nobody
# may run. Extend these sets rather than adding rules; every name is as the
# request document spells it (commands upper case, settings and functions lower
# case, functions without schema).
package portcullis.postgres

# Groups that may read; writers may also read.
reader_groups := {"readers", "writers"}

# Groups that may write (INSERT, bounded UPDATE/DELETE/MERGE, COPY FROM STDIN).
writer_groups := {"writers"}

# Transaction control any reader or writer may run. PREPARE TRANSACTION and the
# two-phase COMMIT/ROLLBACK PREPARED are left out on purpose: they leave state on
# the server beyond the session.
transaction_commands := {
	"BEGIN",
	"START TRANSACTION",
	"COMMIT",
	"END",
	"ROLLBACK",
	"ABORT",
	"SAVEPOINT",
	"RELEASE",
	"RELEASE SAVEPOINT",
	"ROLLBACK TO SAVEPOINT",
	"SET TRANSACTION",
}

# Session housekeeping that drivers and pools send; none of it changes what a
# later statement reads or writes.
housekeeping_commands := {"DISCARD", "DISCARD ALL", "DEALLOCATE", "DEALLOCATE ALL"}

# Settings anyone may SET, RESET or SHOW. search_path is not here: changing it
# can shadow a table with one the caller controls. client_encoding is not here
# either: the gateway reads SQL as UTF-8 and ends a session whose server
# switches, but only after the SET ran. standard_conforming_strings
# and backslash_quote are not here either: they change how the server reads
# string literals, and the gateway's parser must read them the same way.
settable_settings := {
	"application_name",
	"extra_float_digits",
	"datestyle",
	"intervalstyle",
	"timezone",
	"time zone",
	"client_min_messages",
	"statement_timeout",
	"lock_timeout",
	"idle_in_transaction_session_timeout",
}

# Settings that may be reset to the server's default but not set: RESET ALL
# (which DISCARD ALL also does) and a reset search_path restore what the
# database owner configured.
resettable_settings := settable_settings | {"all", "search_path", "client_encoding"}

# Settings that may be shown but not changed.
showable_settings := settable_settings | {
	"search_path",
	"client_encoding",
	"server_version",
	"server_version_num",
	"server_encoding",
	"standard_conforming_strings",
	"integer_datetimes",
	"max_identifier_length",
	"transaction_isolation",
	"transaction isolation level",
	"transaction_read_only",
	"default_transaction_isolation",
	"default_transaction_read_only",
}

# Settings whose change would let the caller act as someone else.
identity_settings := {"role", "session authorization", "session_authorization"}

# Commands nobody may run, with the reason the client sees. Any command whose
# first word is DROP is refused by its own rule.
never_allowed_commands := {
	"TRUNCATE": "TRUNCATE is never allowed through the gateway",
	"ALTER ROLE": "ALTER ROLE is never allowed through the gateway",
	"CREATE ROLE": "CREATE ROLE is never allowed through the gateway",
	"ALTER USER": "ALTER USER is never allowed through the gateway",
	"CREATE USER": "CREATE USER is never allowed through the gateway",
	"ALTER GROUP": "ALTER GROUP is never allowed through the gateway",
	"CREATE GROUP": "CREATE GROUP is never allowed through the gateway",
	"GRANT": "GRANT is never allowed through the gateway",
	"REVOKE": "REVOKE is never allowed through the gateway",
	"ALTER DEFAULT PRIVILEGES": "ALTER DEFAULT PRIVILEGES is never allowed through the gateway",
	"REASSIGN OWNED": "REASSIGN OWNED is never allowed through the gateway",
	"ALTER SYSTEM": "ALTER SYSTEM is never allowed through the gateway",
	"LOAD": "LOAD is never allowed through the gateway",
	"SET ROLE": "SET ROLE is not allowed: the gateway decides who you are",
	"SET SESSION AUTHORIZATION": "SET SESSION AUTHORIZATION is not allowed: the gateway decides who you are",
	"RESET ROLE": "RESET ROLE is not allowed: the gateway decides who you are",
	"RESET SESSION AUTHORIZATION": "RESET SESSION AUTHORIZATION is not allowed: the gateway decides who you are",
	"DO": "DO blocks are not allowed: they run code the gateway cannot inspect",
	"PREPARE": "PREPARE in SQL is not allowed: it hides the statement from policy (use the extended protocol)",
	"EXECUTE": "EXECUTE in SQL is not allowed: it hides the statement from policy (use the extended protocol)",
}

# Functions nobody may call: server file access, large objects, connections to
# other servers, changing settings behind the policy's back, signalling other
# backends, server administration, and functions that run SQL given as text
# (which the gateway cannot see).
denied_functions := {
	# server files
	"pg_read_file",
	"pg_read_binary_file",
	"pg_ls_dir",
	"pg_stat_file",
	"pg_current_logfile",
	# large objects
	"lo_import",
	"lo_export",
	"lo_get",
	"lo_put",
	"lo_from_bytea",
	"lo_create",
	"lo_creat",
	"lo_open",
	"lo_unlink",
	"loread",
	"lowrite",
	# settings and other backends
	"set_config",
	"pg_terminate_backend",
	"pg_cancel_backend",
	"pg_signal_backend",
	"pg_log_backend_memory_contexts",
	# server administration
	"pg_reload_conf",
	"pg_rotate_logfile",
	"pg_promote",
	"pg_switch_wal",
	"pg_create_restore_point",
	"pg_backup_start",
	"pg_backup_stop",
	"pg_start_backup",
	"pg_stop_backup",
	"pg_import_system_collations",
	# other sessions' statements: every gateway session shares the gateway's role,
	# so these show one identity the SQL (and literals) of every other
	"pg_stat_get_activity",
	"pg_stat_get_backend_activity",
	# NOTIFY is not granted; pg_notify is the same
	"pg_notify",
	# dynamic SQL: the query is a string argument
	"connectby",
	"query_to_xml",
	"query_to_xmlschema",
	"query_to_xml_and_xmlschema",
	"cursor_to_xml",
	"cursor_to_xmlschema",
	"table_to_xml",
	"table_to_xmlschema",
	"table_to_xml_and_xmlschema",
	"schema_to_xml",
	"schema_to_xmlschema",
	"schema_to_xml_and_xmlschema",
	"database_to_xml",
	"database_to_xmlschema",
	"database_to_xml_and_xmlschema",
	"ts_stat",
}

# Functions that change the database although a SELECT calls them: a statement
# calling one is a write (readers may not, an approval group's is held).
writing_functions := {"nextval", "setval"}

# Tables and views nobody may read, with the reason the client sees. Matched
# by name in every schema.
unreadable_tables := {
	"pg_stats": "it shows the values of every column, masked ones too",
	"pg_stats_ext": "it shows the values of every column, masked ones too",
	"pg_stats_ext_exprs": "it shows the values of every column, masked ones too",
	"pg_statistic": "it shows the values of every column, masked ones too",
	"pg_statistic_ext_data": "it shows the values of every column, masked ones too",
	"pg_stat_activity": "every gateway session shares one role, so it shows every identity's SQL",
	"pg_stat_statements": "every gateway session shares one role, so it shows every identity's SQL",
}

# Function name prefixes nobody may call: dblink and every dblink_* function,
# the file and directory families, replication slots and origins, WAL replay
# control, statistics resets, and the adminpack file writers.
denied_function_prefixes := {
	"dblink",
	"crosstab",
	"pg_read_",
	"pg_ls_",
	"pg_file_",
	"lo_",
	"pg_create_logical_replication_slot",
	"pg_create_physical_replication_slot",
	"pg_drop_replication_slot",
	"pg_copy_",
	"pg_logical_",
	"pg_replication_",
	"pg_wal_replay_",
	"pg_stat_reset",
}
