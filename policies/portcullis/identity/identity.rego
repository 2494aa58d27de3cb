# METADATA
# title: Identity helpers
# description: >-
#   Protocol-neutral facts about the caller: who they are and which groups they
#   are in. Rules for every protocol (postgres today; ssh, kubernetes and http
#   later) ask these helpers instead of reading input.identity themselves, so a
#   change to the identity document touches one file.
package portcullis.identity

# METADATA
# description: The caller has a verified subject.
authenticated if {
	is_string(input.identity.subject)
	input.identity.subject != ""
}

# METADATA
# description: The caller's groups; anything that is not a string is ignored.
groups contains group if {
	some group in input.identity.groups
	is_string(group)
}

# METADATA
# description: The caller is in at least one of the given groups.
member_of_any(names) if {
	some name in names
	name in groups
}
