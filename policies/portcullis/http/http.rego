# METADATA
# title: HTTP
# description: >-
#   Requests through http targets (the customers API of the examples). Readers
#   and writers read under /api/; only writers write; a DELETE by an agent
#   waits for a person in group approvers. Customer records come back with
#   their card number, email and SSN masked by JSON path, and any card number
#   masked by pattern, unless the caller is a pii_reader. Every rule reads only
#   the identity, the method, the normalised path and (for approvals) the
#   granted approval, so allowed reads and denials are cacheable.
package portcullis.http

import data.portcullis.identity

read_methods := {"GET", "HEAD", "OPTIONS"}

write_methods := {"POST", "PUT", "PATCH", "DELETE"}

reader_groups := {"readers", "writers"}

writer_groups := {"writers"}

# Groups whose deletes each need an approval.
approval_groups := {"agents"}

# Who may approve them.
approvers := ["group:approvers"]

# How long a held request waits (the gateway cuts it to http.approval_wait_s).
approval_timeout_s := 300

# Groups trusted with customer data as it is.
unmasked_groups := {"pii_readers"}

# Fields of a customer record and how they are masked.
customer_fields := {"card_number": "partial", "email": "partial", "ssn": "redact"}

method := input.request.method

path := input.request.path

segments := split(trim_prefix(path, "/"), "/")

under_api if segments[0] == "api"

customers_path if {
	under_api
	segments[1] == "customers"
}

default allow := false

allow if {
	method in read_methods
	identity.member_of_any(reader_groups)
	under_api
}

allow if {
	method in write_methods
	identity.member_of_any(writer_groups)
	under_api
}

deny contains sprintf("method %v is not allowed", [method]) if {
	not method in read_methods
	not method in write_methods
}

deny contains sprintf("%v is outside the API (expected: /api/...)", [path]) if not under_api

deny contains sprintf("%v %v: writes need group writers", [method, path]) if {
	method in write_methods
	under_api
	not identity.member_of_any(writer_groups)
}

deny contains sprintf("%v %v: reads need group readers or writers", [method, path]) if {
	method in read_methods
	under_api
	not identity.member_of_any(reader_groups)
}

deny contains "the admin API is not reachable through the gateway" if {
	under_api
	segments[1] == "admin"
}

# METADATA
# description: Masking rules for an allowed request (decision.rego keeps them only when allowed).
mask contains {"json_path": sprintf("$.%v", [field]), "strategy": strategy} if {
	customers_path
	masks_apply
	some field, strategy in customer_fields
}

mask contains {"json_path": sprintf("$.items[*].%v", [field]), "strategy": strategy} if {
	customers_path
	masks_apply
	some field, strategy in customer_fields
}

mask contains {"pattern": "credit_card", "strategy": "partial"} if masks_apply

masks_apply if not identity.member_of_any(unmasked_groups)

# METADATA
# description: >-
#   Request headers changed before forwarding: the upstream learns who asks,
#   and never sees a debug switch a client might set.
headers := {
	"add": {"X-Portcullis-Subject": input.identity.subject},
	"remove": ["X-Debug"],
}

approval_required if {
	method == "DELETE"
	under_api
	identity.member_of_any(approval_groups)
	not approval_granted
}

approval_granted if input.context.approval.state == "approved"

# METADATA
# description: The approval object of the decision document, or null.
default approval := null

approval := {
	"required": true,
	"approvers": approvers,
	"timeout_s": approval_timeout_s,
	"reason": sprintf("DELETE %v by an agent needs a second person", [path]),
} if approval_required

alerts := set()

no_cache contains "the decision depends on an approval" if approval_required

no_cache contains "the decision read input.context.approval" if approval_granted
