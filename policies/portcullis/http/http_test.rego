package portcullis.http_test

import data.portcullis
import data.portcullis.http

req(method, path, groups) := {
	"session": {"protocol": "http", "target": "customers-api"},
	"identity": {"subject": "alice", "groups": groups},
	"request": {"kind": "http", "method": method, "path": path, "query": {}, "headers": {}, "body": null, "body_bytes": 0},
	"context": {},
}

test_a_reader_gets_a_customer_masked if {
	doc := req("GET", "/api/customers/42", ["readers"])
	portcullis.decision.allow with input as doc
	{"json_path": "$.card_number", "strategy": "partial"} in portcullis.decision.mask with input as doc
	{"json_path": "$.ssn", "strategy": "redact"} in portcullis.decision.mask with input as doc
	{"json_path": "$.items[*].ssn", "strategy": "redact"} in portcullis.decision.mask with input as doc
	{"pattern": "credit_card", "strategy": "partial"} in portcullis.decision.mask with input as doc
	portcullis.decision.headers.add["X-Portcullis-Subject"] == "alice" with input as doc
	portcullis.decision.headers.remove == ["X-Debug"] with input as doc
	portcullis.decision.cache.ttl_s > 0 with input as doc
}

test_a_pii_reader_sees_customers_unmasked if {
	doc := req("GET", "/api/customers/42", ["readers", "pii_readers"])
	portcullis.decision.allow with input as doc
	portcullis.decision.mask == [] with input as doc
}

test_other_api_paths_are_masked_by_pattern_only if {
	doc := req("GET", "/api/orders/1", ["readers"])
	portcullis.decision.mask == [{"pattern": "credit_card", "strategy": "partial"}] with input as doc
}

test_a_reader_may_not_write if {
	doc := req("POST", "/api/customers", ["readers"])
	not portcullis.decision.allow with input as doc
	portcullis.decision.reasons == ["POST /api/customers: writes need group writers"] with input as doc
	portcullis.decision.mask == [] with input as doc
	portcullis.decision.cache.ttl_s > 0 with input as doc
}

test_a_writer_writes if {
	portcullis.decision.allow with input as req("PUT", "/api/customers/42", ["writers"])
}

test_strangers_read_nothing if {
	doc := req("GET", "/api/customers/42", ["guests"])
	portcullis.decision.reasons == ["GET /api/customers/42: reads need group readers or writers"] with input as doc
}

test_paths_outside_the_api_are_denied if {
	doc := req("GET", "/etc/passwd", ["readers"])
	portcullis.decision.reasons == ["/etc/passwd is outside the API (expected: /api/...)"] with input as doc
}

test_the_admin_api_is_denied if {
	doc := req("GET", "/api/admin/users", ["writers"])
	not portcullis.decision.allow with input as doc
	"the admin API is not reachable through the gateway" in portcullis.decision.reasons with input as doc
}

test_unknown_methods_are_denied if {
	doc := req("TRACE", "/api/customers", ["writers"])
	portcullis.decision.reasons == ["method TRACE is not allowed"] with input as doc
}

test_an_agents_delete_needs_approval if {
	doc := req("DELETE", "/api/customers/42", ["writers", "agents"])
	portcullis.decision.allow with input as doc
	portcullis.decision.approval.required with input as doc
	portcullis.decision.approval.approvers == ["group:approvers"] with input as doc
	portcullis.decision.approval.reason == "DELETE /api/customers/42 by an agent needs a second person" with input as doc
	not portcullis.decision.cache with input as doc
}

test_an_approved_delete_goes_on_uncached if {
	doc := object.union(req("DELETE", "/api/customers/42", ["writers", "agents"]), {"context": {"approval": {"state": "approved"}}})
	portcullis.decision.allow with input as doc
	portcullis.decision.approval == null with input as doc
	not portcullis.decision.cache with input as doc
}

test_a_writers_delete_needs_no_approval if {
	http.approval == null with input as req("DELETE", "/api/customers/42", ["writers"])
}

test_http_raises_no_alerts_of_its_own if {
	count(http.alerts) == 0 with input as req("GET", "/api/customers/42", ["readers"])
}
