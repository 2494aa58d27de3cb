# Identity helpers
# Protocol-neutral facts about the requesting identity.
package portcullis

is_reader if "readers" in input.identity.groups

is_writer if "writers" in input.identity.groups

has_access if is_reader

has_access if is_writer

no_access_reason := sprintf("no group grants access to target %s", [input.session.target])
