package portcullis.ssh_test

import data.portcullis
import data.portcullis.ssh

line(groups, kind, argv, plain, constructs, command) := {
	"session": {"protocol": "ssh", "target": "web-1"},
	"identity": {"subject": "alice", "groups": groups},
	"request": {"kind": kind, "command": command, "argv": argv, "plain": plain, "constructs": constructs, "remote_user": "portcullis"},
	"context": {"approval": null},
}

exec(groups, argv) := line(groups, "exec", argv, true, [], concat(" ", argv))

other(groups, request) := {
	"session": {"protocol": "ssh", "target": "web-1"},
	"identity": {"subject": "alice", "groups": groups},
	"request": object.union({"remote_user": "portcullis"}, request),
	"context": {"approval": null},
}

test_a_reader_may_cat_a_log_file if {
	ssh.allow with input as exec(["readers"], ["cat", "/var/log/syslog"])
	portcullis.decision.allow with input as exec(["readers"], ["cat", "/var/log/syslog"])
}

test_a_reader_may_not_cat_outside_the_allowed_paths if {
	doc := exec(["readers"], ["cat", "/etc/shadow"])
	not ssh.allow with input as doc
	"cat is not on the allow-list of your groups for web-1" in ssh.deny with input as doc
}

test_dot_dot_and_relative_paths_are_refused if {
	not ssh.allow with input as exec(["readers"], ["cat", "/var/log/../../etc/shadow"])
	not ssh.allow with input as exec(["readers"], ["cat", ".ssh/id_rsa"])
	not ssh.allow with input as exec(["readers"], ["cat", "--file=/etc/shadow"])
}

test_head_takes_a_count if {
	ssh.allow with input as exec(["readers"], ["tail", "-n", "100", "/var/log/syslog"])
}

test_grep_takes_a_pattern_then_paths if {
	ssh.allow with input as exec(["readers"], ["grep", "-i", "error", "/var/log/syslog"])
	not ssh.allow with input as exec(["readers"], ["grep", "root", "/etc/passwd"])
	not ssh.allow with input as exec(["readers"], ["grep", "root", "passwd"])
}

test_systemctl_status_is_a_read if {
	ssh.allow with input as exec(["readers"], ["systemctl", "status", "nginx"])
	not ssh.allow with input as exec(["readers"], ["systemctl", "restart", "nginx"])
}

test_rm_recursive_is_denied_for_everyone if {
	doc := exec(["operators", "dba"], ["rm", "-rf", "/var/lib/postgresql"])
	not portcullis.decision.allow with input as doc
	"rm -r is never allowed through the gateway" in ssh.deny with input as doc
	"rm -r is never allowed through the gateway" in ssh.deny with input as exec(["operators"], ["/bin/rm", "--recursive", "/x"])
}

test_rm_recursive_inside_a_compound_line_is_named if {
	doc := line(["operators"], "exec", [], false, ["semicolon"], "ls; rm -fr /")
	"rm -r is never allowed through the gateway" in ssh.deny with input as doc
}

test_compound_commands_are_refused_with_their_constructs if {
	doc := line(["readers"], "exec", [], false, ["pipe", "semicolon"], "ls | sh; id")
	not portcullis.decision.allow with input as doc
	"compound command refused (pipe, semicolon): run one plain command at a time" in ssh.deny with input as doc
}

test_an_exact_allowed_line_may_be_compound if {
	doc := line(["readers"], "exec", [], false, ["and"], "uptime && df -h")
	portcullis.decision.allow with input as doc
}

test_unknown_groups_get_nothing if {
	not portcullis.decision.allow with input as exec(["guests"], ["uptime"])
}

test_output_is_masked_unless_pii_reader if {
	portcullis.decision.mask == [{"pattern": "credit_card", "strategy": "partial"}, {"pattern": "secret", "strategy": "redact"}] with input as exec(["readers"], ["cat", "/tmp/x"])
	portcullis.decision.mask == [] with input as exec(["readers", "pii_readers"], ["cat", "/tmp/x"])
}

test_an_agents_restart_needs_ops_approval if {
	doc := exec(["agents"], ["systemctl", "restart", "nginx"])
	portcullis.decision.allow with input as doc
	portcullis.decision.approval.required with input as doc
	portcullis.decision.approval.approvers == ["group:ops"] with input as doc
	portcullis.decision.approval.reason == "systemctl restart nginx by agents on web-1 needs a second person" with input as doc
	"privileged_command" in portcullis.decision.alerts with input as doc
}

test_an_approved_change_needs_no_new_approval if {
	doc := json.patch(exec(["agents"], ["touch", "/tmp/x/approved"]), [{"op": "replace", "path": "/context/approval", "value": {"state": "approved"}}])
	portcullis.decision.allow with input as doc
	portcullis.decision.approval == null with input as doc
}

test_operators_change_without_approval if {
	doc := exec(["operators"], ["touch", "/tmp/x/file"])
	portcullis.decision.allow with input as doc
	portcullis.decision.approval == null with input as doc
}

test_writes_stay_under_the_write_prefixes if {
	not ssh.allow with input as exec(["operators"], ["touch", "/etc/cron.d/x"])
	not ssh.allow with input as exec(["operators"], ["mkdir", "relative"])
}

test_dba_commands_are_for_dba if {
	ssh.allow with input as exec(["dba"], ["pg_isready"])
	not ssh.allow with input as exec(["readers"], ["pg_isready"])
}

test_shell_is_for_operators if {
	shell := other(["operators"], {"kind": "shell", "pty": {"term": "xterm", "cols": 80, "rows": 24}})
	portcullis.decision.allow with input as shell
	reader := other(["readers"], {"kind": "shell", "pty": null})
	not portcullis.decision.allow with input as reader
	"an interactive shell needs one of the groups operators" in ssh.deny with input as reader
}

test_shell_lines_are_decided_like_exec if {
	ssh.allow with input as line(["operators"], "shell_line", ["ls", "/tmp/x"], true, [], "ls /tmp/x")
	not ssh.allow with input as line(["operators"], "shell_line", ["rm", "-rf", "/tmp/x"], true, [], "rm -rf /tmp/x")
}

test_env_is_only_the_locale if {
	portcullis.decision.allow with input as other(["readers"], {"kind": "env", "env": {"name": "LC_ALL", "value": "C"}})
	portcullis.decision.allow with input as other(["readers"], {"kind": "env", "env": {"name": "LANG", "value": "C.UTF-8"}})
	doc := other(["readers"], {"kind": "env", "env": {"name": "LD_PRELOAD", "value": "/tmp/x.so"}})
	not portcullis.decision.allow with input as doc
	"environment variable LD_PRELOAD may not be set (only LANG and LC_*)" in ssh.deny with input as doc
}

test_forwarding_of_every_kind_is_denied if {
	local := other(["operators"], {"kind": "port_forward", "forward": {"direction": "local", "host": "127.0.0.1", "port": 5432}})
	"local port forwarding is never allowed through the gateway" in portcullis.decision.reasons with input as local
	remote := other(["operators"], {"kind": "port_forward", "forward": {"direction": "remote", "host": "0.0.0.0", "port": 8080}})
	"remote port forwarding is never allowed through the gateway" in portcullis.decision.reasons with input as remote
	"agent forwarding is never allowed through the gateway" in portcullis.decision.reasons with input as other(["operators"], {"kind": "agent_forward"})
	"X11 forwarding is never allowed through the gateway" in portcullis.decision.reasons with input as other(["operators"], {"kind": "x11_forward"})
}

test_the_sftp_subsystem_is_allowed_now_operations_are_decided if {
	doc := other(["readers"], {"kind": "subsystem", "subsystem": "sftp"})
	portcullis.decision.allow with input as doc
	not portcullis.decision.allow with input as doc with ssh.sftp_operations_decided as false
	not portcullis.decision.allow with input as other(["nobody"], {"kind": "subsystem", "subsystem": "sftp"})
}

test_ssh_decisions_are_never_cached if {
	not portcullis.decision.cache with input as exec(["readers"], ["uptime"])
}

test_echo_takes_any_words_but_paths_are_checked if {
	ssh.allow with input as exec(["readers"], ["echo", "hello", "world"])
	not ssh.allow with input as exec(["readers"], ["echo", "/etc/shadow"])
}

test_a_shell_may_be_left if {
	ssh.allow with input as line(["operators"], "shell_line", ["exit"], true, [], "exit")
	not ssh.allow with input as exec(["operators"], ["exit"])
}
