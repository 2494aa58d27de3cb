package portcullis.postgres_test

import data.portcullis.postgres

# Tests of catalog.rego: the data sets keep the spelling the request document
# uses, so an entry can never silently fail to match.

test_commands_are_upper_case if {
	commands := (postgres.transaction_commands | postgres.housekeeping_commands) | {c | some c, _ in postgres.never_allowed_commands}
	every command in commands {
		command == upper(command)
	}
}

test_settings_and_functions_are_lower_case if {
	names := (((postgres.showable_settings | postgres.resettable_settings) | postgres.identity_settings) | postgres.denied_functions) | postgres.denied_function_prefixes
	every name in names {
		name == lower(name)
	}
}

test_search_path_may_not_be_set if {
	not "search_path" in postgres.settable_settings
}

test_writers_are_readers_too if {
	every group in postgres.writer_groups {
		group in postgres.reader_groups
	}
}
