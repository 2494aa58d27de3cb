package portcullis_test

import data.portcullis

stmt(command, type) := {
	"command": command, "type": type, "tables": [], "functions": [],
	"has_where": null, "parse_error": null, "copy": null, "setting": null,
}

req(groups, statements) := {
	"version": 1,
	"session": {"id": "ses_1", "protocol": "postgres", "target": "demo", "source": {"ip": "127.0.0.1", "port": 1, "tls": false}},
	"identity": {"subject": "ci-runner", "issuer": "http://idp", "groups": groups, "claims": {}, "method": "oidc_jwt"},
	"request": {"kind": "sql", "sql": "...", "statements": statements, "database": "demo", "message": "query", "statement_name": null, "fingerprint": "f1"},
	"context": {"now": "2026-11-22T21:00:00Z", "stats": null, "approval": null},
}

select := stmt("SELECT", "read")

test_reader_may_select if {
	d := portcullis.decision with input as req(["readers"], [select])
	d.allow == true
	d.reasons == []
	d.mask == []
	d.record == "metadata"
}

test_plain_read_is_cacheable_by_fingerprint if {
	d := portcullis.decision with input as req(["readers"], [select])
	d.cache == {"ttl_s": 30, "scope": "fingerprint"}
}

test_allowed_write_is_cacheable_by_fingerprint if {
	d := portcullis.decision with input as req(["writers"], [stmt("INSERT", "write")])
	d.allow == true
	d.cache == {"ttl_s": 30, "scope": "fingerprint"}
}

test_denial_is_cacheable if {
	d := portcullis.decision with input as req(["readers"], [stmt("DROP TABLE", "ddl")])
	d.allow == false
	d.cache.scope == "fingerprint"
}

test_no_cache_without_fingerprint if {
	r := req(["readers"], [select])
	d := portcullis.decision with input as object.union(r, {"request": object.union(r.request, {"fingerprint": null})})
	d.allow == true
	not d.cache
}

test_identity_without_groups_is_denied if {
	d := portcullis.decision with input as req(["marketing"], [select])
	d.allow == false
	d.reasons == ["no group grants access to target demo"]
}

test_empty_request_is_allowed_for_a_reader if {
	d := portcullis.decision with input as req(["readers"], [])
	d.allow == true
}

test_other_protocols_have_no_policy_yet if {
	r := req(["readers"], [select])
	d := portcullis.decision with input as object.union(r, {"session": object.union(r.session, {"protocol": "ssh"})})
	d.allow == false
	"no policy for protocol ssh" in d.reasons
}

test_one_denied_statement_denies_the_whole_request if {
	d := portcullis.decision with input as req(["readers", "writers"], [select, stmt("DROP TABLE", "ddl")])
	d.allow == false
	d.reasons == ["DROP is never allowed through the gateway"]
}
