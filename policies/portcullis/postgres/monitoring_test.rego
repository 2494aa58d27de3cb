package portcullis.postgres_test

import data.portcullis

pg_stmt(command, type, setting) := {
	"command": command,
	"type": type,
	"tables": [],
	"functions": [],
	"has_where": null,
	"parse_error": null,
	"copy": null,
	"setting": setting,
	"columns": [],
}

pg_req(groups, stmts) := {
	"session": {"protocol": "postgres", "target": "orders-db"},
	"identity": {"subject": "dev-1", "groups": groups},
	"request": {"kind": "sql", "statements": stmts, "fingerprint": "fp_2"},
	"context": {"stats": {}, "approval": null},
}

test_ddl_raises_privileged_command_even_when_denied if {
	d := portcullis.decision with input as pg_req(["writers"], [pg_stmt("DROP TABLE", "ddl", null)])
	d.allow == false
	d.alerts == ["privileged_command"]
}

test_grant_raises_privileged_command if {
	d := portcullis.decision with input as pg_req(["writers"], [pg_stmt("GRANT", "admin", null)])
	d.alerts == ["privileged_command"]
}

test_set_role_raises_privileged_command if {
	d := portcullis.decision with input as pg_req(["readers"], [pg_stmt("SET ROLE", "session", "role")])
	d.alerts == ["privileged_command"]
}

test_setting_a_guarded_setting_raises_privileged_command if {
	d := portcullis.decision with input as pg_req(["readers"], [pg_stmt("SET", "session", "search_path")])
	d.allow == false
	d.alerts == ["privileged_command"]
}

test_setting_role_by_name_raises_privileged_command if {
	d := portcullis.decision with input as pg_req(["readers"], [pg_stmt("SET", "session", "role")])
	d.alerts == ["privileged_command"]
}

test_harmless_settings_and_reads_raise_nothing if {
	d := portcullis.decision with input as pg_req(["readers"], [pg_stmt("SET", "session", "application_name"), pg_stmt("SELECT", "read", null)])
	d.allow
	d.alerts == []
}

test_a_privileged_alert_does_not_stop_caching if {
	d := portcullis.decision with input as pg_req(["writers"], [pg_stmt("DROP TABLE", "ddl", null)])
	d.cache.ttl_s == 30
}
