# PostgreSQL statements nobody may run.
#
# Each rule adds [index, reason] to `forbidden` for a statement that no group
# may run, whoever asks. These are denies: they win over every grant in
# grants.rego, and each carries the reason the client sees.
package portcullis.postgres

forbidden contains [i, "DROP is never allowed through the gateway"] if {
	some i, stmt in statements
	split(stmt.command, " ")[0] == "DROP"
}

forbidden contains [i, never_allowed_commands[stmt.command]] if {
	some i, stmt in statements
}

# SET role = ..., RESET role and the like, however the parser names them.
forbidden contains [i, sprintf("%v %v is not allowed: the gateway decides who you are", [stmt.command, upper(stmt.setting)])] if {
	some i, stmt in statements
	stmt.command in {"SET", "RESET"}
	stmt.setting in identity_settings
}

forbidden contains [i, "changing search_path is not allowed: it can shadow tables"] if {
	some i, stmt in statements
	stmt.command == "SET"
	stmt.setting == "search_path"
}

# Administrative commands not listed by name still carry type admin.
forbidden contains [i, sprintf("%v is an administrative command and is never allowed through the gateway", [stmt.command])] if {
	some i, stmt in statements
	stmt.type == "admin"
	not never_allowed_commands[stmt.command]
}

forbidden contains [i, sprintf("SQL that cannot be parsed is denied: %v", [stmt.parse_error])] if {
	some i, stmt in statements
	stmt.parse_error != null
}

forbidden contains [i, "SQL that cannot be classified is denied"] if {
	some i, stmt in statements
	stmt.command == "UNKNOWN"
	object.get(stmt, "parse_error", null) == null
}

forbidden contains [i, sprintf("%v without WHERE is not allowed", [stmt.command])] if {
	some i, stmt in statements
	stmt.command in {"UPDATE", "DELETE", "MERGE"}
	object.get(stmt, "has_where", null) != true
}

forbidden contains [i, sprintf("COPY %v %v is not allowed: it reaches the database server's files or programs", [upper(copy.direction), upper(copy.endpoint)])] if {
	some i, stmt in statements
	copy := stmt.copy
	copy.endpoint in {"file", "program"}
}

forbidden contains [i, "COPY without a known source or destination is denied"] if {
	some i, stmt in statements
	stmt.command == "COPY"
	not is_object(object.get(stmt, "copy", null))
}

forbidden contains [i, sprintf("function %v is not allowed", [name])] if {
	some i, stmt in statements
	some function in stmt.functions
	name := function_name(function)
	denied_function(name)
}

# The request document already gives bare lower-case names; folding again and
# dropping any schema keeps pg_catalog.PG_READ_FILE from slipping through.
function_name(function) := lower(regex.replace(function, `^.*\.`, ""))

denied_function(name) if name in denied_functions

denied_function(name) if {
	some prefix in denied_function_prefixes
	startswith(name, prefix)
}

forbidden contains [i, sprintf("table %v may not be read through the gateway: %v", [table.name, unreadable_tables[table.name]])] if {
	some i, stmt in statements
	some table in stmt.tables
}
