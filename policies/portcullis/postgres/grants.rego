# PostgreSQL grants.
#
# What each group may run, one statement at a time. A statement nobody is
# granted is denied; a granted statement can still be denied by forbidden.rego.
package portcullis.postgres

import data.portcullis.identity

# Readers (and writers) may read.
granted(stmt) if {
	identity.member_of_any(reader_groups)
	read_statement(stmt)
}

# Writers may write.
granted(stmt) if {
	identity.member_of_any(writer_groups)
	write_statement(stmt)
}

# Readers and writers may control transactions and tidy their session.
granted(stmt) if {
	identity.member_of_any(reader_groups)
	housekeeping_statement(stmt)
}

# METADATA
# description: >-
#   A statement that only reads: type read (SELECT, EXPLAIN of a read, ...) with
#   no table written, or COPY TO STDOUT. COPY and SHOW are judged by their own
#   rules whatever type they carry.
read_statement(stmt) if {
	stmt.type == "read"
	not stmt.command in {"COPY", "SHOW"}
	only_reads(stmt)
}

read_statement(stmt) if {
	stmt.command == "COPY"
	stmt.copy.direction == "to"
	stmt.copy.endpoint == "stdout"
	only_reads(stmt)
}

only_reads(stmt) if {
	every table in stmt.tables {
		table.access == "read"
	}
	not calls_writing_function(stmt)
}

calls_writing_function(stmt) if {
	some function in stmt.functions
	function_name(function) in writing_functions
}

# METADATA
# description: >-
#   A statement that writes rows in a bounded way: INSERT, UPDATE/DELETE/MERGE
#   bounded by a WHERE clause, or COPY FROM STDIN.
write_statement(stmt) if {
	stmt.command == "INSERT"
	stmt.type == "write"
}

write_statement(stmt) if {
	stmt.command in {"UPDATE", "DELETE", "MERGE"}
	stmt.type == "write"
	stmt.has_where == true
}

# A SELECT whose WITH clause inserts, updates or deletes (a data-modifying CTE); an UPDATE or
# DELETE inside it must be bounded by its own WHERE (has_where is false when one is not).
write_statement(stmt) if {
	stmt.command == "SELECT"
	stmt.type == "write"
	stmt.has_where != false
}

# SELECT nextval('orders_id_seq'): a query that writes through a function.
write_statement(stmt) if {
	stmt.command in {"SELECT", "VALUES"}
	stmt.type == "read"
	calls_writing_function(stmt)
}

write_statement(stmt) if {
	stmt.command == "COPY"
	stmt.copy.direction == "from"
	stmt.copy.endpoint == "stdin"
}

housekeeping_statement(stmt) if stmt.command in transaction_commands

housekeeping_statement(stmt) if stmt.command in housekeeping_commands

housekeeping_statement(stmt) if {
	stmt.command == "SET"
	stmt.setting in settable_settings
}

housekeeping_statement(stmt) if {
	stmt.command == "RESET"
	stmt.setting in resettable_settings
}

housekeeping_statement(stmt) if {
	stmt.command == "SHOW"
	stmt.setting in showable_settings
}
