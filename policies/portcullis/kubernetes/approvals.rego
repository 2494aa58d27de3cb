# Kubernetes approvals.
#
# A delete in production by a group that needs approval is held until an
# approver (never the requester) approves that very request; the gateway then
# asks again with the approval in input.context.approval, and the delete goes
# on without a new hold.
package portcullis.kubernetes

import data.portcullis.identity

approval_granted if input.context.approval.state == "approved"

# METADATA
# description: A delete in production that waits for an approver.
approval_required if {
	request.verb == "delete"
	request.namespace in production_namespaces
	identity.member_of_any(prod_delete_approval_groups)
	not identity.member_of_any(admin_groups)
	not approval_granted
}

# METADATA
# description: The approval object of the decision document, or null.
default approval := null

approval := {
	"required": true,
	"approvers": prod_delete_approvers,
	"timeout_s": approval_timeout_s,
	"reason": sprintf("delete of %v/%v in %v on %v needs %v", [request.resource, request.name, request.namespace, target, concat(", ", prod_delete_approvers)]),
} if approval_required

no_cache contains "the decision depends on an approval" if approval_required

no_cache contains "the decision read input.context.approval" if approval_granted
