# Kubernetes catalog.
#
# The facts the Kubernetes rules read: who is in which role, which
# namespaces, resources and exec commands each role may use. Edit these to
# fit a cluster; the rules in the other files stay as they are.
package portcullis.kubernetes

# Groups that may read (get, list, watch) in the readable namespaces.
reader_groups := {"readers", "agents", "deployers", "sre"}

# Groups that may write (create, update, patch, delete) workloads.
writer_groups := {"agents", "deployers", "sre"}

# Site reliability engineers: every namespace, every write, and the approvers
# of deletes in production.
admin_groups := {"sre"}

# Namespaces readers may read in.
readable_namespaces := {"default", "dev", "staging", "prod"}

# Namespaces writers other than admins may write in, by group.
writable_namespaces := {
	"agents": {"dev", "staging", "prod"},
	"deployers": {"dev", "staging", "prod"},
}

# Production namespaces: deletes there are refused for agents and held for
# an approval for deployers.
production_namespaces := {"prod"}

# Groups whose deletes in production are refused outright.
no_prod_delete_groups := {"agents"}

# Groups whose deletes in production wait for an approver.
prod_delete_approval_groups := {"deployers"}

# Who approves them, as the gateway matches approvers.
prod_delete_approvers := ["group:sre"]

# How long a held delete waits for a decision.
approval_timeout_s := 900

# Resources (by API group) writers may write. Secrets, RBAC, CRDs and the
# cluster's own objects are left to the cluster's administrators.
writable_resources := {
	"": {"pods", "configmaps", "services"},
	"apps": {"deployments", "replicasets", "statefulsets", "daemonsets"},
	"batch": {"jobs", "cronjobs"},
}

# Cluster-scoped resources readers may read (everything else cluster-wide,
# such as pods across all namespaces, needs a namespace or an admin).
cluster_readable_resources := {"namespaces", "nodes", "customresourcedefinitions", "storageclasses", "ingressclasses", "priorityclasses", "apiservices"}

# Resources whose reads are masked, and how.
secret_resources := {"secrets"}

# Non-resource URLs every reader may GET: discovery, version, health, OpenAPI.
readable_nonresource_prefixes := {"/api", "/apis", "/version", "/healthz", "/livez", "/readyz", "/openapi"}

# Exec: the namespaces, containers and exact commands (argv) allowed, by group.
# Admins may run any command in any namespace they may read.
exec_namespaces := {"dev", "staging", "prod"}

exec_containers := {"app"}

exec_commands := {
	["date"],
	["hostname"],
	["ls"],
	["ls", "-l"],
	["ls", "/"],
	["cat", "/etc/os-release"],
	["uname", "-a"],
	["whoami"],
	["ps", "aux"],
}

exec_groups := {"readers", "agents", "deployers"}

# Subresources that reach through the API server to a kubelet, a pod or a
# service: never allowed, they bypass every rule here.
proxy_subresources := {"proxy"}

# Requests that would give the caller credentials of their own, or act as
# someone else, outside the gateway.
credential_subresources := {"serviceaccounts": {"token"}}

credential_resources := {"certificatesigningrequests", "tokenrequests"}

impersonation_resources := {"users", "groups", "serviceaccounts", "uids", "userextras"}
