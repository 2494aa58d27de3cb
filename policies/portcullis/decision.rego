# METADATA
# title: Portcullis gateway policy
# description: |
#   The one entry point the gateway asks for every request: data.portcullis.decision.
#   Deny wins over allow; anything not granted is denied.
package portcullis

# METADATA
# title: The decision for one request
# description: The decision document of DESIGN.md, for the request document in input.
# entrypoint: true
decision := object.union(
	{
		"allow": allow,
		"reasons": reasons,
		"mask": [],
		"alerts": [],
		"record": "metadata",
	},
	cache_part,
)

default allow := false

allow if {
	count(deny) == 0
	count(not_granted) == 0
	supported_protocol
}

# The hard denials when there are any; otherwise what no group grants.
default reasons := []

reasons := sort(deny | protocol_reasons) if count(deny | protocol_reasons) > 0

reasons := sort(not_granted) if {
	count(deny | protocol_reasons) == 0
	count(not_granted) > 0
}

supported_protocol if input.session.protocol == "postgres"

protocol_reasons contains sprintf("no policy for protocol %s", [input.session.protocol]) if {
	not supported_protocol
}

# Caching rule for policy authors: a decision may carry "cache" only when it depends on nothing
# but the identity (subject, groups), the target and the statement's shape (its fingerprint).
# A decision that reads input.context (time, stats, approval), input.request.sql or any literal
# value must leave "cache" out, or the gateway would reuse it where it no longer holds.
# This policy reads neither: each of its decisions depends only on identity, target and
# statement shape, so all of them are cacheable by fingerprint.
default cache_part := {}

cache_part := {"cache": {"ttl_s": 30, "scope": "fingerprint"}} if input.request.fingerprint != null
