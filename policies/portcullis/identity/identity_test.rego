package portcullis.identity_test

import data.portcullis.identity

test_subject_makes_caller_authenticated if {
	identity.authenticated with input as {"identity": {"subject": "ci-runner-7"}}
}

test_empty_subject_is_not_authenticated if {
	not identity.authenticated with input as {"identity": {"subject": ""}}
}

test_missing_identity_is_not_authenticated if {
	not identity.authenticated with input as {}
}

test_non_string_subject_is_not_authenticated if {
	not identity.authenticated with input as {"identity": {"subject": 7}}
}

test_groups_keep_only_strings if {
	identity.groups == {"readers", "ci"} with input as {"identity": {"groups": ["readers", 3, "ci", null]}}
}

test_missing_groups_is_empty if {
	count(identity.groups) == 0 with input as {"identity": {"subject": "x"}}
}

test_member_of_any_matches_one_group if {
	identity.member_of_any({"writers", "readers"}) with input as {"identity": {"groups": ["readers"]}}
}

test_member_of_any_without_overlap_is_false if {
	not identity.member_of_any({"writers"}) with input as {"identity": {"groups": ["readers"]}}
}
