# PostgreSQL masking.
#
# Which result values the gateway masks, and which uses of a masked column are
# denied because masking by result column could not see them. The gateway masks
# a result column it can trace to a masked table column, and any value that
# matches a data pattern; a masked column used anywhere else (a filter, an
# expression, a sort, a join, a whole-row reference) would leak what the mask
# hides, so that use is denied. Extend masked_columns rather than adding rules.
package portcullis.postgres

import data.portcullis.identity

# Masked columns of the sample schema: table -> column -> strategy. Tables are
# matched by name in every schema.
masked_columns := {"customers": {
	"email": "partial",
	"card_number": "partial",
	"ssn": "redact",
}}

# Every column of each masked table. A qualified name that is none of them is
# PostgreSQL's attribute notation: c.row_to_json is row_to_json(c), the whole
# row, which the result cannot trace to the masked columns.
masked_table_columns := {"customers": {"id", "name", "email", "card_number", "ssn"}}

# Analysts see the same columns differently: a keyed hash of the email (stable,
# so they can still join and count on it) and no SSN at all.
analyst_strategies := {"customers": {
	"email": "hash",
	"card_number": "partial",
	"ssn": "null",
}}

analyst_groups := {"analysts"}

# Data patterns masked in every result, whatever the column.
pattern_masks := {
	{"pattern": "credit_card", "strategy": "partial"},
	{"pattern": "secret", "strategy": "redact"},
}

# Groups whose members are trusted with the data as it is: nothing is masked
# for them, neither columns nor patterns.
unmasked_groups := {"pii_readers"}

strategy_for(table, column) := analyst_strategies[table][column] if {
	identity.member_of_any(analyst_groups)
} else := masked_columns[table][column]

# How a deny reason names each use of a column other than a projection.
usage_phrases := {
	"expression": "an expression",
	"filter": "a filter",
	"order": "a sort",
	"group": "a grouping",
	"join": "a join condition",
}

column_masks_apply if not identity.member_of_any(unmasked_groups)

# METADATA
# description: >-
#   The mask rules of the decision: the masked columns of every table the
#   request touches, and the data patterns whenever a statement returns rows.
mask contains {"table": table, "column": column, "strategy": strategy_for(table, column)} if {
	column_masks_apply
	some stmt in statements
	some ref in stmt.tables
	table := ref.name
	some column, _ in masked_columns[table]
}

mask contains rule if {
	column_masks_apply
	some stmt in statements
	returns_rows(stmt)
	some rule in pattern_masks
}

returns_rows(stmt) if stmt.type == "read"

# INSERT, UPDATE or DELETE with RETURNING.
returns_rows(stmt) if {
	stmt.type == "write"
	some use in stmt.columns
	use.usage == "projection"
}

# METADATA
# description: >-
#   A masked column used other than as a projection: its value would reach the
#   client, or decide what the client sees, without passing the mask.
deny contains sprintf("column %v.%v is masked: it may only be selected as it is, not used in %v", [table, column, phrase]) if {
	column_masks_apply
	some stmt in statements
	some use in stmt.columns
	phrase := usage_phrases[use.usage] # undefined for projection, and for star (below)
	some [table, column] in masked_by(stmt, use)
}

# METADATA
# description: >-
#   A whole-row reference (row_to_json(c), SELECT c FROM customers c) or a *
#   whose result columns PostgreSQL cannot trace to the table, on a table with
#   masked columns.
deny contains sprintf("table %v has masked columns: it may not be read as a whole row, only column by column", [table]) if {
	column_masks_apply
	some stmt in statements
	some use in stmt.columns
	use.usage == "star"
	some table in use_tables(stmt, use)
	masked_columns[table]
}

# The masked columns a use reaches, as [table, column] pairs: a use of no
# particular table reaches every table the statement touches, and * or a
# whole-row reference every masked column of the table.
masked_by(stmt, use) := {[table, column] |
	some table in use_tables(stmt, use)
	some column, _ in masked_columns[table]
	use_column_matches(use, column)
}

use_tables(stmt, use) := {use.table} if {
	is_string(object.get(use, "table", null))
} else := {ref.name | some ref in stmt.tables}

use_column_matches(use, column) if object.get(use, "column", null) == column

use_column_matches(use, _) if object.get(use, "column", null) in {"*", null}

# METADATA
# description: >-
#   A name used as a column of a masked table that is not one of its columns:
#   PostgreSQL reads c.row_to_json as row_to_json(c), a function of the whole row.
deny contains sprintf("%v is not a column of %v, which has masked columns: a function of the whole row (attribute notation) is not allowed", [use.column, use.table]) if {
	column_masks_apply
	some stmt in statements
	some use in stmt.columns
	columns := masked_table_columns[use.table]
	is_string(use.column)
	use.column != "*"
	not use.column in columns
}
