package portcullis.kubernetes_test

import data.portcullis
import data.portcullis.kubernetes

req(verb, resource, namespace, name) := {
	"kind": "kubernetes",
	"verb": verb,
	"api_group": "",
	"api_version": "v1",
	"resource": resource,
	"subresource": "",
	"namespace": namespace,
	"name": name,
	"container": null,
	"command": [],
	"ports": [],
	"method": "GET",
	"path": "/api/v1",
	"resource_request": true,
	"field_selector": "",
	"label_selector": "",
}

doc(groups, request) := {
	"session": {"protocol": "kubernetes", "target": "prod-cluster"},
	"identity": {"subject": "agent-7", "groups": groups},
	"request": request,
	"context": {"approval": null},
}

exec_req(namespace, container, command) := object.union(req("create", "pods", namespace, "web-1"), {
	"subresource": "exec",
	"container": container,
	"command": command,
	"method": "POST",
})

test_readers_get_list_and_watch_pods_in_readable_namespaces if {
	every verb in ["get", "list", "watch"] {
		portcullis.decision.allow with input as doc(["readers"], req(verb, "pods", "prod", "web-1"))
	}
}

test_readers_may_not_read_outside_readable_namespaces if {
	d := portcullis.decision with input as doc(["readers"], req("list", "pods", "kube-system", ""))
	not d.allow
	d.reasons == ["no group grants list pods on prod-cluster in namespace kube-system"]
}

test_readers_may_not_list_pods_across_all_namespaces if {
	d := portcullis.decision with input as doc(["readers"], req("list", "pods", "", ""))
	not d.allow
	d.reasons == ["no group grants list pods on prod-cluster in the whole cluster"]
}

test_readers_read_namespaces_and_nodes if {
	portcullis.decision.allow with input as doc(["readers"], req("list", "namespaces", "", ""))
	portcullis.decision.allow with input as doc(["readers"], req("get", "namespaces", "kube-system", "kube-system"))
	portcullis.decision.allow with input as doc(["readers"], req("get", "nodes", "", "node-1"))
}

test_discovery_version_and_openapi_are_readable if {
	every path in ["/api", "/apis", "/api/v1", "/apis/apps/v1", "/version", "/openapi/v2", "/healthz"] {
		r := object.union(req("get", "", "", ""), {"resource_request": false, "path": path, "api_version": ""})
		portcullis.decision.allow with input as doc(["readers"], r)
	}
}

test_other_nonresource_urls_are_not if {
	r := object.union(req("get", "", "", ""), {"resource_request": false, "path": "/apix", "api_version": ""})
	d := portcullis.decision with input as doc(["readers"], r)
	not d.allow
	d.reasons == ["no group grants GET /apix on prod-cluster in the whole cluster"]
	r2 := object.union(r, {"verb": "post", "path": "/logs"})
	portcullis.decision.allow with input as doc(["sre"], r2)
}

test_unknown_callers_are_denied if {
	d := portcullis.decision with input as doc(["marketing"], req("get", "pods", "prod", "web-1"))
	not d.allow
	d.reasons == ["no group grants access to prod-cluster"]
}

test_malformed_requests_are_denied if {
	d := portcullis.decision with input as doc(["sre"], {"kind": "kubernetes", "verb": 1})
	not d.allow
	d.reasons == ["the Kubernetes request could not be analysed, so it is denied"]
}

test_agents_may_not_delete_in_prod if {
	r := object.union(req("delete", "deployments", "prod", "api"), {"api_group": "apps"})
	d := portcullis.decision with input as doc(["agents"], r)
	not d.allow
	d.reasons == ["delete in namespace prod is never allowed for agents"]
}

test_agents_delete_in_dev if {
	r := object.union(req("delete", "deployments", "dev", "api"), {"api_group": "apps"})
	d := portcullis.decision with input as doc(["agents"], r)
	d.allow
	d.approval == null
}

test_deployers_delete_in_prod_needs_sre_approval if {
	r := object.union(req("delete", "deployments", "prod", "api"), {"api_group": "apps"})
	d := portcullis.decision with input as doc(["deployers"], r)
	d.allow
	d.approval.required
	d.approval.approvers == ["group:sre"]
	d.approval.reason == "delete of deployments/api in prod on prod-cluster needs group:sre"
	not d.cache
}

test_an_approved_delete_needs_no_new_approval if {
	r := object.union(req("delete", "deployments", "prod", "api"), {"api_group": "apps"})
	input_doc := object.union(doc(["deployers"], r), {"context": {"approval": {"id": "apr_1", "state": "approved"}}})
	d := portcullis.decision with input as input_doc
	d.allow
	d.approval == null
	not d.cache
}

test_deletecollection_in_prod_is_refused_even_for_sre if {
	d := portcullis.decision with input as doc(["sre"], req("deletecollection", "pods", "prod", ""))
	not d.allow
	d.reasons == ["deletecollection in namespace prod is not allowed: delete objects one by one"]
}

test_writers_may_not_write_secrets_or_rbac if {
	d := portcullis.decision with input as doc(["deployers"], req("create", "secrets", "dev", ""))
	not d.allow
	d.reasons == ["no group grants create secrets on prod-cluster in namespace dev"]
}

test_exec_of_a_listed_command_in_a_listed_container if {
	d := portcullis.decision with input as doc(["agents"], exec_req("dev", "app", ["ls", "-l"]))
	d.allow
}

test_exec_of_an_unlisted_command_is_refused_with_it if {
	d := portcullis.decision with input as doc(["agents"], exec_req("dev", "app", ["sh", "-c", "rm -rf /"]))
	not d.allow
	d.reasons == ["exec of sh -c rm -rf / in dev/web-1 container app is not allowed"]
}

test_exec_in_an_unlisted_container_or_namespace_is_refused if {
	not portcullis.decision.allow with input as doc(["agents"], exec_req("dev", "sidecar", ["ls"]))
	not portcullis.decision.allow with input as doc(["agents"], exec_req("kube-system", "app", ["ls"]))
	d := portcullis.decision with input as doc(["agents"], exec_req("dev", null, []))
	d.reasons == ["exec of (no command) in dev/web-1 container null is not allowed"]
}

test_sre_exec_anything_and_raises_an_alert if {
	d := portcullis.decision with input as doc(["sre"], exec_req("prod", "db", ["sh"]))
	d.allow
	d.alerts == ["privileged_command"]
}

test_attach_and_port_forward_are_refused_for_non_admins if {
	attach := object.union(exec_req("dev", "app", []), {"subresource": "attach"})
	d := portcullis.decision with input as doc(["agents"], attach)
	not d.allow
	"attach to pod web-1 is not allowed: exec a listed command instead" in d.reasons
	forward := object.union(exec_req("dev", null, []), {"subresource": "portforward", "ports": [5432]})
	d2 := portcullis.decision with input as doc(["agents"], forward)
	not d2.allow
	"port-forward to pod web-1 is not allowed" in d2.reasons
	portcullis.decision.allow with input as doc(["sre"], forward)
}

test_proxy_subresources_are_refused_even_for_sre if {
	every resource in ["nodes", "pods", "services"] {
		r := object.union(req("get", resource, "", "x"), {"subresource": "proxy"})
		d := portcullis.decision with input as doc(["sre"], r)
		not d.allow
		d.reasons == [sprintf("%v/proxy is never allowed through the gateway: it reaches past the API server", [resource])]
	}
}

test_the_legacy_proxy_verb_is_refused if {
	d := portcullis.decision with input as doc(["sre"], req("proxy", "nodes", "", "node-1"))
	not d.allow
	d.reasons == ["the proxy verb is never allowed through the gateway: it reaches past the API server"]
}

test_impersonation_and_credential_minting_never_pass if {
	d := portcullis.decision with input as doc(["sre"], req("impersonate", "users", "", "admin"))
	not d.allow
	"impersonation is never allowed through the gateway: it acts with its own credentials for the identity you are" in d.reasons
	token := object.union(req("create", "serviceaccounts", "prod", "default"), {"subresource": "token"})
	d2 := portcullis.decision with input as doc(["sre"], token)
	d2.reasons == ["create of serviceaccounts is not allowed through the gateway: it would mint credentials"]
	csr := object.union(req("create", "certificatesigningrequests", "", ""), {"api_group": "certificates.k8s.io"})
	d3 := portcullis.decision with input as doc(["sre"], csr)
	d3.reasons == ["create of certificatesigningrequests is not allowed through the gateway: it would mint credentials"]
}

test_secret_reads_are_masked if {
	d := portcullis.decision with input as doc(["readers"], req("get", "secrets", "prod", "db"))
	d.allow
	{"json_path": "$.data.*", "strategy": "redact"} in d.mask
	{"json_path": "$.items[*].data.*", "strategy": "redact"} in d.mask
	d.cache.ttl_s == 30
	d.headers == {"add": {"Accept": "application/json"}, "remove": []}
	d2 := portcullis.decision with input as doc(["sre"], req("create", "secrets", "prod", ""))
	{"json_path": "$.data.*", "strategy": "redact"} in d2.mask
}

test_other_reads_are_not_masked_and_are_cached if {
	d := portcullis.decision with input as doc(["readers"], req("get", "configmaps", "prod", "x"))
	d.allow
	d.mask == []
	d.cache.ttl_s == 30
	not d.headers
}

test_watching_secrets_is_refused if {
	d := portcullis.decision with input as doc(["readers"], req("watch", "secrets", "prod", ""))
	not d.allow
	d.reasons == ["watching secrets is not allowed: the gateway masks whole responses, not streams"]
}

test_subresource_text_in_reasons if {
	r := object.union(req("get", "pods", "kube-system", "x"), {"subresource": "log"})
	d := portcullis.decision with input as doc(["readers"], r)
	d.reasons == ["no group grants get pods/log on prod-cluster in namespace kube-system"]
}

test_kubernetes_package_alone if {
	kubernetes.allow with input as doc(["readers"], req("get", "pods", "dev", "x"))
	not kubernetes.allow with input as doc(["readers"], req("get", "pods", "nowhere", "x"))
}
