# SSH allow-lists: which commands each group may run, and where.
#
# A plain command (input.request.plain) is decided on its argv; argv[0] names
# the command and must be on a group's list, and every argument that looks
# like a path must lie under an allowed prefix. A line that is not plain is
# refused unless it is on allowed_lines exactly.
package portcullis.ssh

# Commands that only read, for every group that may use ssh at all.
read_commands := {
	"cat", "ls", "head", "tail", "grep", "wc", "stat", "df", "du", "uptime",
	"hostname", "whoami", "id", "date", "pwd", "echo", "uname", "free",
}

# Read commands whose operands are not paths (echo's words, date's format):
# only arguments with a slash are checked.
free_operand_commands := {"echo", "date", "id", "uname", "hostname", "whoami", "uptime"}

# Shell builtins an interactive shell's line may be: leaving it.
shell_builtins := {"exit", "logout"}

# systemctl subcommands that only read.
systemctl_reads := {"status", "is-active", "is-enabled", "list-units", "show"}

# systemctl subcommands that change a service: operators and ops run them,
# agents only with an approval by ops.
systemctl_changes := {"restart", "reload", "start", "stop"}

# Commands that create files, under write_prefixes only.
write_commands := {"touch", "mkdir"}

# Extra commands for database administrators.
dba_commands := {"pg_isready", "psql", "pg_lsclusters"}

# Where paths may point. A path argument must be absolute, hold no ".."
# segment, and start with one of these.
read_prefixes := ["/var/log/", "/etc/hostname", "/etc/os-release", "/tmp/", "/srv/"]

write_prefixes := ["/tmp/", "/srv/upload/"]

# Compound lines allowed as they are, character for character.
allowed_lines := {"uptime && df -h"}

# Groups that may use ssh at all.
ssh_groups := {"readers", "operators", "ops", "dba", "agents"}

# Groups that may open an interactive shell.
shell_groups := {"operators"}

# Groups that may change services and create files without an approval.
change_groups := {"operators", "ops"}

# Groups whose changes each need an approval, and by whom.
approval_groups := {"agents"}

approvers := ["group:ops"]

approval_timeout_s := 900

# Groups that see output unmasked.
unmasked_groups := {"pii_readers"}

# Environment variables a client may set: the locale.
env_allowed(name) if name == "LANG"

env_allowed(name) if startswith(name, "LC_")

# Whether the gateway decides each SFTP operation. Until it does, the sftp
# subsystem itself is refused: allowing it would let every operation through.
# It does (pep-proxy SftpRelay; the rules are in sftp.rego).
sftp_operations_decided := true
