# Kubernetes masking.
#
# A Secret's values never leave the gateway: reads of secrets come back with
# every value under data (and stringData) redacted, for one Secret, for a
# list, and for a server-side Table that embeds the objects. The gateway asks
# the API server for JSON only when a response may be masked, and refuses
# to pass on what it cannot mask.
package portcullis.kubernetes

secret_paths := ["$.data.*", "$.stringData.*", "$.items[*].data.*", "$.items[*].stringData.*", "$.rows[*].object.data.*"]

# METADATA
# description: The mask rules for this request's response.
mask contains {"json_path": path, "strategy": "redact"} if {
	request.resource in secret_resources
	request.verb in read_verbs
	some path in secret_paths
}

# Writes of secrets answer with the object written: mask that too.
mask contains {"json_path": path, "strategy": "redact"} if {
	request.resource in secret_resources
	request.verb in write_verbs
	some path in secret_paths
}

# METADATA
# description: >-
#   The request headers the gateway changes when it masks: the API server may
#   answer in protobuf, which the gateway cannot mask, so a masked request asks
#   for JSON only (and the gateway refuses any answer that is not JSON).
headers := {"add": {"Accept": "application/json"}, "remove": []}
