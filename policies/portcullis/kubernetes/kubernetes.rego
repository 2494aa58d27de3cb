# METADATA
# title: Kubernetes policy
# description: >-
#   The verdict on one Kubernetes API request (input.request.kind ==
#   "kubernetes"): reads in the readable namespaces, writes of workloads by
#   writer groups, exec of listed commands, and never a proxy, impersonation
#   or credential request. data.portcullis.decision consults this package
#   only when input.session.protocol is "kubernetes".
package portcullis.kubernetes

import data.portcullis.identity

# METADATA
# description: The request; undefined unless it is a well-formed Kubernetes request.
request := input.request if well_formed

well_formed if {
	input.request.kind == "kubernetes"
	is_string(input.request.verb)
	is_string(input.request.api_group)
	is_string(input.request.resource)
	is_string(input.request.subresource)
	is_string(input.request.namespace)
	is_string(input.request.name)
	is_boolean(input.request.resource_request)
}

target := object.get(input, ["session", "target"], "this cluster")

read_verbs := {"get", "list", "watch"}

write_verbs := {"create", "update", "patch", "delete"}

delete_verbs := {"delete", "deletecollection"}

stream_subresources := {"exec", "attach", "portforward"}

default allow := false

# METADATA
# description: Some rule grants the request; deny reasons are judged separately and win.
allow if {
	well_formed
	granted
}

# Discovery, version, health and OpenAPI documents.
granted if {
	not request.resource_request
	request.verb in {"get", "head"}
	identity.member_of_any(reader_groups)
	readable_path(request.path)
}

# Reads of anything but a stream in a readable namespace.
granted if {
	request.resource_request
	request.verb in read_verbs
	not request.subresource in stream_subresources
	identity.member_of_any(reader_groups)
	request.namespace in readable_namespaces
	not cluster_scoped_read
}

# Reads of the cluster-scoped resources readers may see.
granted if {
	request.resource_request
	request.verb in read_verbs
	identity.member_of_any(reader_groups)
	cluster_scoped_read
	request.resource in cluster_readable_resources
}

# Writes of workloads where the caller's group may write.
granted if {
	request.resource_request
	request.verb in write_verbs
	request.subresource in {"", "status", "scale"}
	request.resource in object.get(writable_resources, request.api_group, set())
	some group in identity.groups
	request.namespace in object.get(writable_namespaces, group, set())
}

# Exec of a listed command in a listed namespace and container.
granted if {
	exec_request
	identity.member_of_any(exec_groups)
	request.namespace in exec_namespaces
	request.container in exec_containers
	request.command in exec_commands
}

# Admins: everything in any namespace, and everything cluster-wide; the
# denies below still apply.
granted if {
	request.resource_request
	identity.member_of_any(admin_groups)
}

granted if {
	not request.resource_request
	identity.member_of_any(admin_groups)
}

# A cluster-scoped request: no namespace, or the namespace objects themselves.
cluster_scoped_read if request.namespace == ""

cluster_scoped_read if request.resource == "namespaces"

exec_request if {
	request.resource == "pods"
	request.subresource == "exec"
}

readable_path(path) if path in readable_nonresource_prefixes

readable_path(path) if {
	some prefix in readable_nonresource_prefixes
	startswith(path, concat("", [prefix, "/"]))
}

# METADATA
# description: The reasons this request is denied, as the client will read them.
deny contains "the Kubernetes request could not be analysed, so it is denied" if not well_formed

deny contains sprintf("no group grants access to %v", [target]) if {
	well_formed
	not identity.member_of_any(reader_groups)
}

deny contains sprintf("%v/%v is never allowed through the gateway: it reaches past the API server", [request.resource, request.subresource]) if {
	request.subresource in proxy_subresources
}

deny contains "the proxy verb is never allowed through the gateway: it reaches past the API server" if {
	request.verb == "proxy"
}

deny contains "impersonation is never allowed through the gateway: it acts with its own credentials for the identity you are" if {
	request.verb == "impersonate"
}

deny contains sprintf("%v of %v is not allowed through the gateway: it would mint credentials", [request.verb, request.resource]) if {
	request.resource in impersonation_resources
	request.subresource == "token"
}

deny contains sprintf("%v of %v is not allowed through the gateway: it would mint credentials", [request.verb, request.resource]) if {
	request.resource in credential_resources
	request.verb in write_verbs
}

deny contains sprintf("%v in namespace %v is never allowed for %v", [request.verb, request.namespace, concat(", ", sort(no_prod_delete_members))]) if {
	request.verb in delete_verbs
	request.namespace in production_namespaces
	count(no_prod_delete_members) > 0
	not identity.member_of_any(admin_groups)
}

deny contains sprintf("deletecollection in namespace %v is not allowed: delete objects one by one", [request.namespace]) if {
	request.verb == "deletecollection"
	request.namespace in production_namespaces
}

deny contains sprintf("watching %v is not allowed: the gateway masks whole responses, not streams", [request.resource]) if {
	request.verb == "watch"
	request.resource in secret_resources
}

deny contains sprintf("attach to pod %v is not allowed: exec a listed command instead", [request.name]) if {
	request.subresource == "attach"
	not identity.member_of_any(admin_groups)
}

deny contains sprintf("port-forward to pod %v is not allowed", [request.name]) if {
	request.subresource == "portforward"
	not identity.member_of_any(admin_groups)
}

deny contains sprintf("exec of %v in %v/%v container %v is not allowed", [exec_line, request.namespace, request.name, object.get(request, "container", null)]) if {
	exec_request
	not granted
	identity.member_of_any(reader_groups)
}

deny contains sprintf("no group grants %v on %v in %v", [describe, target, namespace_text]) if {
	well_formed
	identity.member_of_any(reader_groups)
	not granted
	not exec_request
}

no_prod_delete_members := {g | some g in identity.groups; g in no_prod_delete_groups}

exec_line := concat(" ", request.command) if count(request.command) > 0

else := "(no command)"

describe := sprintf("%v %v", [request.verb, resource_text]) if request.resource_request

else := sprintf("%v %v", [upper(request.verb), request.path])

resource_text := concat("/", [request.resource, request.subresource]) if request.subresource != ""

else := request.resource

namespace_text := sprintf("namespace %v", [request.namespace]) if request.namespace != ""

else := "the whole cluster"

# METADATA
# description: >-
#   Nothing here reads input.context: every decision follows from the
#   identity and the request, except the approvals (see approvals.rego).
alerts contains "privileged_command" if {
	exec_request
	identity.member_of_any(admin_groups)
}
