package portcullis.postgres_test

import data.portcullis.postgres

# Tests of masking.rego: which mask rules a request gets, and which uses of a
# masked column are denied.

customers := [{"schema": null, "name": "customers", "access": "read"}]

use(table, column, usage) := {"schema": null, "table": table, "column": column, "usage": usage}

# A read of customers with these column uses.
read_customers(uses) := stmt({"tables": customers, "columns": uses})

column_masks := {
	{"table": "customers", "column": "email", "strategy": "partial"},
	{"table": "customers", "column": "card_number", "strategy": "partial"},
	{"table": "customers", "column": "ssn", "strategy": "redact"},
}

patterns := {
	{"pattern": "credit_card", "strategy": "partial"},
	{"pattern": "secret", "strategy": "redact"},
}

masks(groups, stmts) := m if {
	m := postgres.mask with input as req(groups, stmts)
}

test_projection_of_masked_column_is_allowed_and_masked if {
	s := read_customers([use("customers", "email", "projection")])
	allowed(["readers"], [s])
	masks(["readers"], [s]) == column_masks | patterns
}

test_star_projection_is_allowed_and_masked if {
	s := read_customers([use("customers", "*", "projection")])
	allowed(["readers"], [s])
	masks(["readers"], [s]) == column_masks | patterns
}

test_table_without_masked_columns_gets_only_patterns if {
	masks(["readers"], [select]) == patterns
}

test_masks_follow_tables_in_any_schema if {
	s := stmt({"tables": [{"schema": "crm", "name": "customers", "access": "read"}]})
	masks(["readers"], [s]) == column_masks | patterns
}

test_pii_readers_see_everything_as_it_is if {
	s := read_customers([use("customers", "email", "projection")])
	masks(["readers", "pii_readers"], [s]) == set()
}

test_analysts_get_a_keyed_hash_and_no_ssn if {
	s := read_customers([use("customers", "email", "projection")])
	masks(["readers", "analysts"], [s]) == {
		{"table": "customers", "column": "email", "strategy": "hash"},
		{"table": "customers", "column": "card_number", "strategy": "partial"},
		{"table": "customers", "column": "ssn", "strategy": "null"},
	} | patterns
}

test_write_without_returning_masks_nothing if {
	masks(["writers"], [insert]) == set()
}

test_write_with_returning_masks_patterns_and_columns if {
	s := stmt({
		"command": "UPDATE",
		"type": "write",
		"has_where": true,
		"tables": [{"schema": null, "name": "customers", "access": "write"}],
		"columns": [use("customers", "id", "filter"), use("customers", "name", "projection")],
	})
	masks(["writers"], [s]) == column_masks | patterns
}

test_filter_on_masked_column_is_denied if {
	denied(["readers"], [read_customers([use("customers", "email", "filter")])], {"column customers.email is masked: it may only be selected as it is, not used in a filter"})
}

test_each_usage_is_named_in_the_reason if {
	every usage, phrase in {"expression": "an expression", "order": "a sort", "group": "a grouping", "join": "a join condition"} {
		denied(["readers"], [read_customers([use("customers", "ssn", usage)])], {sprintf("column customers.ssn is masked: it may only be selected as it is, not used in %v", [phrase])})
	}
}

test_unmasked_column_may_be_used_anywhere if {
	allowed(["readers"], [read_customers([use("customers", "id", "filter"), use("customers", "name", "expression")])])
}

test_use_of_no_particular_table_reaches_every_table_touched if {
	denied(["readers"], [read_customers([use(null, "email", "order")])], {"column customers.email is masked: it may only be selected as it is, not used in a sort"})
}

test_use_of_no_particular_table_of_unmasked_tables_is_allowed if {
	allowed(["readers"], [stmt({"columns": [use(null, "email", "filter")]})])
}

test_star_in_a_sort_reaches_every_masked_column if {
	denied(["readers"], [read_customers([use("customers", "*", "order")])], {
		"column customers.email is masked: it may only be selected as it is, not used in a sort",
		"column customers.card_number is masked: it may only be selected as it is, not used in a sort",
		"column customers.ssn is masked: it may only be selected as it is, not used in a sort",
	})
}

test_whole_row_reference_is_denied if {
	denied(["readers"], [read_customers([use("customers", null, "star")])], {"table customers has masked columns: it may not be read as a whole row, only column by column"})
}

test_star_of_no_particular_table_is_denied if {
	denied(["readers"], [read_customers([use(null, "*", "star")])], {"table customers has masked columns: it may not be read as a whole row, only column by column"})
}

test_whole_row_of_unmasked_table_is_allowed if {
	allowed(["readers"], [stmt({"columns": [use("orders", null, "star")]})])
}

test_pii_readers_may_use_masked_columns_anywhere if {
	allowed(["readers", "pii_readers"], [read_customers([use("customers", "email", "filter"), use("customers", null, "star")])])
}

test_statement_without_columns_list_is_denied if {
	denied(["readers"], [object.remove(select, ["columns"])], {"the SQL request could not be analysed, so it is denied"})
}

test_masking_rules_do_not_prevent_caching if {
	count(postgres.no_cache) == 0 with input as req(["readers"], [read_customers([use("customers", "email", "filter")])])
}

test_catalogue_names_are_lower_case_and_strategies_known if {
	every table, columns in postgres.masked_columns {
		table == lower(table)
		every column, strategy in columns {
			column == lower(column)
			strategy in {"redact", "partial", "hash", "null"}
		}
	}
}

test_a_name_that_is_not_a_column_of_a_masked_table_is_denied if {
	s := read_customers([use("customers", "id", "projection"), use("customers", "row_to_json", "projection")])
	denied(["readers"], [s], {"row_to_json is not a column of customers, which has masked columns: a function of the whole row (attribute notation) is not allowed"})
	allowed(["readers", "pii_readers"], [s])
}

test_every_listed_column_of_a_masked_table_is_allowed_as_a_projection if {
	allowed(["readers"], [read_customers([use("customers", c, "projection") | some c in ["id", "name", "email", "card_number", "ssn", "*"]])])
}
