# METADATA
# title: PostgreSQL policy
# description: >-
#   The verdict on one PostgreSQL request (input.request.kind == "sql"): allowed
#   only when every statement is granted to one of the caller's groups and no
#   statement is forbidden. An empty list of statements (an empty query) is
#   allowed. data.portcullis.decision consults this package only when
#   input.session.protocol is "postgres".
package portcullis.postgres

import data.portcullis.identity

# METADATA
# description: The request's statements; undefined unless the request is well formed.
statements := input.request.statements if well_formed

well_formed if {
	input.request.kind == "sql"
	is_array(input.request.statements)
	every stmt in input.request.statements {
		is_string(stmt.command)
		is_string(stmt.type)
		is_array(stmt.tables)
		is_array(stmt.functions)
		is_array(stmt.columns)
	}
}

target := object.get(input, ["session", "target"], "this target")

default allow := false

# METADATA
# description: Every statement is granted; deny reasons are judged separately and win.
allow if {
	well_formed
	every stmt in statements {
		granted(stmt)
	}
}

# METADATA
# description: The reasons this request is denied, as the client will read them.
deny contains "the SQL request could not be analysed, so it is denied" if not well_formed

deny contains sprintf("no group grants access to %v", [target]) if {
	not identity.member_of_any(reader_groups)
}

deny contains reason if {
	some [_, reason] in forbidden
}

# A statement nobody forbids but the caller's groups do not grant. Callers in
# no gateway group already have a reason above, once per request.
deny contains sprintf("%v needs group writers on %v", [stmt.command, target]) if {
	identity.member_of_any(reader_groups)
	some i, stmt in statements
	not granted(stmt)
	not forbidden_index[i]
	write_statement(stmt)
}

deny contains sprintf("no group grants %v on %v", [describe(stmt), target]) if {
	identity.member_of_any(reader_groups)
	some i, stmt in statements
	not granted(stmt)
	not forbidden_index[i]
	not write_statement(stmt)
}

forbidden_index contains i if some [i, _] in forbidden

describe(stmt) := concat(" ", [stmt.command, stmt.setting]) if {
	stmt.command in {"SET", "RESET", "SHOW"}
	is_string(stmt.setting)
} else := stmt.command

# METADATA
# description: >-
#   Why this decision must not be cached. A parse error is quoted into the
#   reason, and it can quote literal values from the SQL text.
no_cache contains "a reason quotes the parse error" if {
	some stmt in statements
	stmt.parse_error != null
}
