# METADATA
# title: SSH policy
# description: >-
#   Decides exec commands, interactive shells and the lines typed into them,
#   subsystems, environment variables and forwarding. Plain commands are
#   allowed from per-group allow-lists with their paths checked; compound
#   commands, rm -r, forwarding of every kind and the sftp subsystem (until its
#   operations are decided one by one) are denied.
package portcullis.ssh

import data.portcullis.identity

default kind := null

kind := input.request.kind

target := input.session.target

argv := object.get(input.request, "argv", [])

command_name := argv[0]

line_kinds := {"exec", "shell_line"}

# Arguments that are not flags.
operands := [a | some i, a in argv; i > 0; not startswith(a, "-")]

# Arguments that name paths: anything with a slash, flags like --file=/x too.
path_args := [a | some i, a in argv; i > 0; contains(a, "/")]

# METADATA
# description: The request is allowed by one of the rules below.
default allow := false

allow if {
	identity.member_of_any(ssh_groups)
	allowed_request
}

allowed_request if {
	kind in line_kinds
	input.request.plain
	command_allowed
}

allowed_request if {
	kind in line_kinds
	not input.request.plain
	input.request.command in allowed_lines
}

allowed_request if {
	kind == "shell"
	identity.member_of_any(shell_groups)
}

allowed_request if {
	kind == "env"
	env_allowed(input.request.env.name)
}

allowed_request if {
	kind == "subsystem"
	input.request.subsystem == "sftp"
	sftp_operations_decided
}

allowed_request if {
	kind == "sftp"
	sftp_allowed
}

# Read commands: every path under a read prefix, and no relative operand
# (a relative path resolves in the home directory), numbers aside.
command_allowed if {
	command_name in read_commands
	command_name != "grep"
	paths_under(read_prefixes)
	every a in operands {
		relative_ok(a)
	}
}

relative_ok(_) if command_name in free_operand_commands

command_allowed if {
	kind == "shell_line"
	command_name in shell_builtins
	count(argv) <= 2
}

# grep: its first operand is the pattern, the rest are paths.
command_allowed if {
	command_name == "grep"
	paths_under(read_prefixes)
	every a in array.slice(operands, 1, count(operands)) {
		relative_ok(a)
	}
}

command_allowed if {
	command_name == "systemctl"
	argv[1] in systemctl_reads
}

command_allowed if {
	command_name == "systemctl"
	argv[1] in systemctl_changes
	identity.member_of_any(change_groups | approval_groups)
}

command_allowed if {
	command_name in write_commands
	count(path_args) > 0
	paths_under(write_prefixes)
	every a in operands {
		contains(a, "/")
	}
	identity.member_of_any(change_groups | approval_groups)
}

command_allowed if {
	command_name in dba_commands
	identity.member_of_any({"dba"})
}

relative_ok(a) if contains(a, "/")

relative_ok(a) if regex.match(`^[0-9]+$`, a)

paths_under(prefixes) if {
	every p in path_args {
		path_ok(p, prefixes)
	}
}

path_ok(p, prefixes) if {
	not contains(p, "..")
	some prefix in prefixes
	startswith(p, prefix)
}

# SFTP operations by path: sftp_allowed is in sftp.rego.

# METADATA
# description: Reasons to refuse, whatever the allow rules say.
deny contains "rm -r is never allowed through the gateway" if {
	kind in line_kinds
	removes_recursively
}

deny contains sprintf("compound command refused (%v): run one plain command at a time", [concat(", ", input.request.constructs)]) if {
	kind in line_kinds
	not input.request.plain
	not input.request.command in allowed_lines
}

deny contains sprintf("%v is not on the allow-list of your groups for %v", [command_name, target]) if {
	kind in line_kinds
	input.request.plain
	count(argv) > 0
	not command_allowed
	not removes_recursively
}

deny contains "an interactive shell needs one of the groups operators" if {
	kind == "shell"
	not identity.member_of_any(shell_groups)
}

deny contains sprintf("environment variable %v may not be set (only LANG and LC_*)", [input.request.env.name]) if {
	kind == "env"
	not env_allowed(input.request.env.name)
}

deny contains "the sftp subsystem is refused until the gateway decides each file operation" if {
	kind == "subsystem"
	not sftp_operations_decided
}

deny contains sprintf("%v forwarding is never allowed through the gateway", [forward_kind]) if {
	forward_kind != null
}

default forward_kind := null

forward_kind := sprintf("%v port", [input.request.forward.direction]) if kind == "port_forward"

forward_kind := "agent" if kind == "agent_forward"

forward_kind := "X11" if kind == "x11_forward"

removes_recursively if {
	input.request.plain
	regex.match(`(^|/)rm$`, command_name)
	some a in argv
	recursive_flag(a)
}

removes_recursively if {
	regex.match(`(^|[^A-Za-z0-9_./-])rm\s+(-[A-Za-z]*[rR]|--recursive)`, concat("", [" ", input.request.command]))
}

recursive_flag(a) if regex.match(`^-[A-Za-z]*[rR]`, a)

recursive_flag("--recursive")

# METADATA
# description: Output masks for an allowed request, card numbers partially and secrets redacted.
mask := [] if {
	identity.member_of_any(unmasked_groups)
} else := [
	{"pattern": "credit_card", "strategy": "partial"},
	{"pattern": "secret", "strategy": "redact"},
]

# METADATA
# description: An agent changing a service or a file waits for a person in ops.
approval := {
	"required": true,
	"approvers": approvers,
	"timeout_s": approval_timeout_s,
	"reason": sprintf("%v by %v on %v needs a second person", [concat(" ", argv), concat(", ", sort([g | some g in identity.groups; g in approval_groups])), target]),
} if {
	approval_required
} else := null

approval_required if {
	kind in line_kinds
	changes
	identity.member_of_any(approval_groups)
	not identity.member_of_any(change_groups)
	not approval_granted
}

changes if {
	command_name == "systemctl"
	argv[1] in systemctl_changes
}

changes if command_name in write_commands

approval_granted if input.context.approval.state == "approved"

alerts contains "privileged_command" if {
	kind in line_kinds
	changes
}

# The SSH rules read the request's exact line and paths, which no fingerprint
# covers: no SSH decision is reused.
no_cache contains "ssh decisions read the exact command line" if kind != "sftp"
