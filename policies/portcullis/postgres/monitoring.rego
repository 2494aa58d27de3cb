# PostgreSQL monitoring.
#
# The alert privileged_command: DDL, administration (GRANT, REVOKE, ALTER
# SYSTEM, LOCK, two-phase commits), role and identity changes, and settings
# beyond the harmless ones, whether the request is allowed or denied. It reads
# only the statements' shape, so it never stops caching: each reuse of a cached
# decision raises it again.
package portcullis.postgres

alerts contains "privileged_command" if {
	some stmt in statements
	privileged(stmt)
}

privileged(stmt) if stmt.type in {"ddl", "admin"}

privileged(stmt) if never_allowed_commands[stmt.command]

privileged(stmt) if {
	stmt.command == "SET"
	not stmt.setting in settable_settings
}

privileged(stmt) if {
	stmt.command == "RESET"
	not stmt.setting in resettable_settings
}

privileged(stmt) if {
	stmt.command in {"SET", "RESET"}
	stmt.setting in identity_settings
}
