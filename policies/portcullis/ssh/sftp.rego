# SFTP file operations (kind "sftp"), and the cache rule for them.
#
# The gateway asks once per file operation that names a path (kind "sftp");
# reads and writes on an open handle are checked by the gateway against the
# access this policy granted when the handle was opened, and never asked.
# Paths arrive absolute and lexically normalised (relative ones resolved
# against the target account's home directory).
#
# Reads are allowed under the read directories and the upload directories;
# anything that changes the file system only under the upload directories;
# symbolic links never (a link can point a later read anywhere, and paths are
# judged lexically, without following links).
#
# These rules read only the identity's groups, the target and the operation
# itself (and data.sites.sftp, fixed per bundle revision), so their decisions
# may be reused for the same exact operation (decision.rego, scope "exact").
package portcullis.ssh

# The directories, overridable as data (data.sites.sftp.read_dirs and
# data.sites.sftp.upload_dirs), each an absolute normalised path.
default sftp_read_dirs := ["/srv", "/tmp", "/var/log"]

sftp_read_dirs := data.sites.sftp.read_dirs

default sftp_upload_dirs := ["/srv/upload"]

sftp_upload_dirs := data.sites.sftp.upload_dirs

# Every group that may use ssh may open the sftp subsystem (ssh.rego); each
# operation is then decided by path below.
sftp_allowed if sftp_op_allowed(input.request.sftp)

deny contains reason if some reason in sftp_deny

# Extensions without a path that reveal nothing beyond what an allowed
# session already sees. copy-data is checked by the gateway on its handles.
sftp_harmless_extensions := {
	"limits@openssh.com",
	"home-directory",
	"users-groups-by-id@openssh.com",
	"copy-data",
}

# Operations that only read.
sftp_reading_operations := {"open", "opendir", "stat", "readlink"}

# Operations that change the file system at their path.
sftp_changing_operations := {"open", "remove", "mkdir", "rmdir", "setstat"}

# realpath only canonicalises a path (the client asks it for its working
# directory first), so it is allowed anywhere.
sftp_op_allowed(op) if op.operation == "realpath"

sftp_op_allowed(op) if {
	op.operation in sftp_reading_operations
	op.access == "read"
	sftp_readable(op.path)
}

sftp_op_allowed(op) if {
	op.operation in sftp_changing_operations
	op.access == "write"
	sftp_writable(op.path)
}

sftp_op_allowed(op) if {
	op.operation in {"rename", "link"}
	sftp_writable(op.path)
	sftp_writable(op.target_path)
}

sftp_op_allowed(op) if {
	op.operation == "extended"
	op.extension in sftp_harmless_extensions
}

sftp_op_allowed(op) if {
	op.operation == "extended"
	op.extension in {"statvfs@openssh.com", "expand-path@openssh.com"}
	sftp_readable(op.path)
}

sftp_op_allowed(op) if {
	op.operation == "extended"
	op.extension == "lsetstat@openssh.com"
	sftp_writable(op.path)
}

sftp_op_allowed(op) if {
	op.operation == "extended"
	op.extension in {"posix-rename@openssh.com", "hardlink@openssh.com"}
	sftp_writable(op.path)
	sftp_writable(op.target_path)
}

sftp_readable(path) if sftp_under_any(path, sftp_read_dirs)

sftp_readable(path) if sftp_writable(path)

sftp_writable(path) if sftp_under_any(path, sftp_upload_dirs)

sftp_under_any(path, dirs) if {
	is_string(path)
	some dir in dirs
	sftp_under(path, dir)
}

sftp_under(path, dir) if path == dir

sftp_under(path, dir) if startswith(path, concat("", [trim_suffix(dir, "/"), "/"]))

# Reasons the client sees (SFTP STATUS permission denied carries the first).
sftp_deny contains "sftp: symbolic links are not allowed" if {
	input.request.kind == "sftp"
	input.request.sftp.operation == "symlink"
}

sftp_deny contains sprintf("sftp: %v outside the upload directories: %v", [op.operation, path]) if {
	input.request.kind == "sftp"
	op := input.request.sftp
	sftp_changes(op)
	some path in sftp_paths(op)
	not sftp_writable(path)
}

sftp_deny contains sprintf("sftp: read outside the allowed directories: %v", [op.path]) if {
	input.request.kind == "sftp"
	op := input.request.sftp
	op.access == "read"
	op.operation != "realpath"
	not sftp_readable(op.path)
}

sftp_deny contains sprintf("sftp: extension %v is not allowed", [op.extension]) if {
	input.request.kind == "sftp"
	op := input.request.sftp
	op.operation == "extended"
	not op.extension in sftp_known_extensions
}

sftp_known_extensions := sftp_harmless_extensions | {
	"statvfs@openssh.com", "expand-path@openssh.com", "lsetstat@openssh.com",
	"posix-rename@openssh.com", "hardlink@openssh.com",
}

sftp_changes(op) if op.access == "write"

sftp_changes(op) if op.operation in {"rename", "link", "remove", "mkdir", "rmdir", "setstat"}

sftp_paths(op) := {p | some p in [op.path, op.target_path]; is_string(p)}
