# METADATA
# title: Portcullis decision
# description: >-
#   The gateway asks for data.portcullis.decision once per request and enforces
#   what it gets back. This package is protocol neutral: it checks the caller,
#   hands the request to the package for its protocol, and assembles the
#   decision document of DESIGN.md. Deny wins over allow, and every deny has a
#   reason the client will see.
package portcullis

import data.portcullis.http as http_policy
import data.portcullis.identity
import data.portcullis.kubernetes
import data.portcullis.monitoring
import data.portcullis.postgres
import data.portcullis.ssh

# Protocols with a policy. Adding one means a package beside postgres/ with
# its own allow, deny and cache facts, and a line for it in each rule below.
supported_protocols := {"postgres", "ssh", "http", "kubernetes"}

# null, not undefined, when the request names no protocol (or has no input at
# all), so the deny below still has a reason to give.
default protocol := null

protocol := object.get(input, ["session", "protocol"], null)

# METADATA
# title: Decision
# description: The decision document for one request.
# entrypoint: true
decision := object.union(
	object.union(
		{
			"allow": allow,
			"reasons": reasons,
			"mask": mask,
			"mask_notice": count(mask) > 0,
			"approval": approval,
			"record": record,
			"alerts": alerts,
			"terminate": monitoring.terminate,
		},
		cache_field,
	),
	protocol_fields,
)

# Decision fields only some protocols have: HTTP's request header changes, and
# Kubernetes' (JSON only, when the response is masked).
protocol_fields := {"headers": http_policy.headers} if {
	protocol == "http"
	allow
} else := {"headers": kubernetes.headers} if {
	protocol == "kubernetes"
	allow
	count(mask) > 0
} else := {}

default allow := false

allow if {
	protocol_allows
	count(deny) == 0
}

default protocol_allows := false

protocol_allows if {
	protocol == "postgres"
	postgres.allow
}

protocol_allows if {
	protocol == "ssh"
	ssh.allow
}

protocol_allows if {
	protocol == "http"
	http_policy.allow
}

protocol_allows if {
	protocol == "kubernetes"
	kubernetes.allow
}

deny contains "request has no authenticated identity" if not identity.authenticated

deny contains sprintf("no policy for protocol %v", [protocol]) if not protocol in supported_protocols

deny contains reason if {
	protocol == "postgres"
	some reason in postgres.deny
}

deny contains reason if {
	protocol == "ssh"
	some reason in ssh.deny
}

deny contains reason if {
	protocol == "http"
	some reason in http_policy.deny
}

deny contains reason if {
	protocol == "kubernetes"
	some reason in kubernetes.deny
}

deny contains reason if some reason in monitoring.deny

deny contains monitoring.terminate_reason if monitoring.terminate

# METADATA
# description: >-
#   What the policy noticed, for the audit log and the webhooks: the
#   protocol-neutral alerts on activity and the protocol's own.
alerts := sort(monitoring.alerts | protocol_alerts)

protocol_alerts := postgres.alerts if protocol == "postgres"

else := ssh.alerts if protocol == "ssh"

else := http_policy.alerts if protocol == "http"

else := kubernetes.alerts if protocol == "kubernetes"

else := set()

# METADATA
# description: >-
#   What the gateway masks in the result: only for an allowed request (a denied
#   one returns no rows), as the protocol's package asks.
mask := [rule | some rule in postgres.mask] if {
	protocol == "postgres"
	allow
} else := ssh.mask if {
	protocol == "ssh"
	allow
} else := [rule | some rule in http_policy.mask] if {
	protocol == "http"
	allow
} else := [rule | some rule in kubernetes.mask] if {
	protocol == "kubernetes"
	allow
} else := []

# METADATA
# description: >-
#   A person must approve an allowed request first when its protocol's package
#   says so; null otherwise.
approval := postgres.approval if {
	protocol == "postgres"
	allow
} else := ssh.approval if {
	protocol == "ssh"
	allow
} else := http_policy.approval if {
	protocol == "http"
	allow
} else := kubernetes.approval if {
	protocol == "kubernetes"
	allow
} else := null

# Groups whose sessions are recorded in full: AI agents, whose every answer a
# person may need to see afterwards.
full_record_groups := {"agents"}

# METADATA
# description: >-
#   How much of a request the gateway records: "full" (the response too, as
#   the client received it, masked) for a full-record group, "metadata" for
#   everyone else. It reads only the identity, so it never stops caching.
record := "full" if {
	identity.member_of_any(full_record_groups)
} else := "metadata"

# A deny always says why, even when no rule above found a reason.
reasons := sort(deny) if {
	count(deny) > 0
} else := [] if {
	allow
} else := ["no policy rule allows this request"]

# The cache rule. Every policy author must follow it.
#
# The gateway reuses a decision that carries `cache` for the same identity,
# target and statement fingerprint, under the same bundle revision, for ttl_s
# seconds, without asking OPA again. So `cache` is set only when the decision
# follows from nothing but the identity, the target and the statements' shape
# (commands, types, tables, functions, has_where, copy, setting, columns). A rule that reads anything else must add a
# reason to `no_cache`, which takes `cache` out of the decision:
#   - input.context (now, stats, approval): time, rates and approvals change;
#   - literal values: input.request.sql, a COPY target, a reason that quotes
#     text from the SQL (a parse error), or any value the fingerprint hides.
# Without input.request.fingerprint there is nothing to key a cache entry on,
# so `cache` is left out too. A decision that masks may be cached like any
# other: its rules follow from the identity and the tables the statements
# touch, and the gateway masks every result anew. One that needs an approval is
# never reused (the approval rules add to no_cache, and the gateway refuses).
#
# The rules on activity (monitoring/) read input.context.stats on every
# request. Those that deny, hold or end a session add to no_cache when they
# fire; alerts alone do not. `cache.stats_below` names the counters under which
# no further rule fires and `cache.stats_at_least` the counts an alert was
# raised at: the gateway reuses the decision only while every counter stays
# in that range. A rule on stats whose threshold is not in
# monitoring.counter_thresholds breaks this.
cache_field := {"cache": {
	"ttl_s": 30,
	"scope": cache_scope,
	"stats_below": monitoring.cache_guard,
	"stats_at_least": monitoring.cache_floor,
}} if {
	cacheable
} else := {}

no_cache contains reason if {
	protocol == "postgres"
	some reason in postgres.no_cache
}

no_cache contains reason if {
	protocol == "ssh"
	some reason in ssh.no_cache
}

no_cache contains reason if {
	protocol == "http"
	some reason in http_policy.no_cache
}

no_cache contains reason if {
	protocol == "kubernetes"
	some reason in kubernetes.no_cache
}

no_cache contains reason if some reason in monitoring.no_cache

cacheable if {
	is_string(input.request.fingerprint)
	count(no_cache) == 0
	cacheable_shape
}

# HTTP requests have no fingerprint: the gateway keys a cached decision on the
# method, the normalised path and the sorted query (and never caches a request
# with a body). So an HTTP rule that reads a header or the body adds to no_cache.
cacheable if {
	protocol == "http"
	count(no_cache) == 0
	cacheable_shape
}

# An SFTP file operation has no fingerprint: its decision is reused only for the
# same exact operation (the gateway keys it on operation, paths, access and
# extension), and only when the ssh package adds nothing to no_cache for it.
cacheable if {
	sftp_operation
	count(no_cache) == 0
}

sftp_operation if {
	protocol == "ssh"
	input.request.kind == "sftp"
}

cache_scope := "exact" if sftp_operation

else := "fingerprint"

cacheable_shape if not allow

# Every PostgreSQL rule reads only identity, target and statement shape, so its allows are
# as cacheable as its denies (writes included: caching them spares a policy call per write).
cacheable_shape if {
	protocol == "postgres"
	allow
}

# Every HTTP rule reads only identity, method and normalised path (and the
# approval, which adds to no_cache).
cacheable_shape if {
	protocol == "http"
	allow
}

# Kubernetes requests have no fingerprint either: the gateway keys a cached
# decision on the method, the path and the sorted query, and never caches an
# upgrade (exec, attach, port-forward) or a request with a body. Every
# Kubernetes rule reads only identity and those (and the approval, which adds
# to no_cache).
cacheable if {
	protocol == "kubernetes"
	count(no_cache) == 0
	cacheable_shape
}

cacheable_shape if {
	protocol == "kubernetes"
	allow
}
