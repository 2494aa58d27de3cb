package portcullis.ssh_test

import data.portcullis
import data.portcullis.ssh

file_op(op) := {
	"session": {"protocol": "ssh", "target": "web-1"},
	"identity": {"subject": "alice", "groups": ["readers"]},
	"request": {"kind": "sftp", "remote_user": "portcullis", "sftp": object.union(
		{"path": null, "target_path": null, "access": null, "extension": null},
		op,
	)},
	"context": {},
}

allowed(op) if {
	ssh.allow with input as file_op(op)
	count(ssh.deny) == 0 with input as file_op(op)
}

denied_because(op, reason) if {
	not ssh.allow with input as file_op(op)
	reason in ssh.deny with input as file_op(op)
}

test_sftp_operation_needs_an_ssh_group if {
	doc := json.patch(file_op({"operation": "open", "path": "/srv/files/a", "access": "read"}), [{"op": "replace", "path": "/identity/groups", "value": ["nobody"]}])
	not ssh.allow with input as doc
}

test_sftp_decisions_are_cached_by_exact_operation if {
	doc := file_op({"operation": "open", "path": "/srv/files/a", "access": "read"})
	portcullis.decision.allow with input as doc
	portcullis.decision.cache.scope == "exact" with input as doc
	denied := file_op({"operation": "remove", "path": "/etc/passwd", "access": "write"})
	portcullis.decision.cache.scope == "exact" with input as denied
	"sftp: remove outside the upload directories: /etc/passwd" in portcullis.decision.reasons with input as denied
}

test_read_under_allowed_directory if allowed({"operation": "open", "path": "/srv/files/a.txt", "access": "read"})

test_read_of_allowed_directory_itself if allowed({"operation": "opendir", "path": "/srv/files", "access": "read"})

test_read_in_upload_directory if allowed({"operation": "stat", "path": "/srv/upload/x", "access": "read"})

test_readlink_under_allowed_directory if allowed({"operation": "readlink", "path": "/var/log/l", "access": "read"})

test_read_outside_denied if denied_because(
	{"operation": "open", "path": "/etc/shadow", "access": "read"},
	"sftp: read outside the allowed directories: /etc/shadow",
)

test_prefix_is_not_a_directory if denied_because(
	{"operation": "open", "path": "/srvfiles/a", "access": "read"},
	"sftp: read outside the allowed directories: /srvfiles/a",
)

test_realpath_anywhere if allowed({"operation": "realpath", "path": "/root", "access": "read"})

test_write_in_upload if allowed({"operation": "open", "path": "/srv/upload/new.bin", "access": "write"})

test_write_in_read_directory_denied if denied_because(
	{"operation": "open", "path": "/srv/files/a.txt", "access": "write"},
	"sftp: open outside the upload directories: /srv/files/a.txt",
)

test_mkdir_remove_rmdir_setstat_in_upload if {
	allowed({"operation": "mkdir", "path": "/srv/upload/d", "access": "write"})
	allowed({"operation": "rmdir", "path": "/srv/upload/d", "access": "write"})
	allowed({"operation": "remove", "path": "/srv/upload/f", "access": "write"})
	allowed({"operation": "setstat", "path": "/srv/upload/f", "access": "write"})
}

test_remove_outside_denied if denied_because(
	{"operation": "remove", "path": "/srv/files/a.txt", "access": "write"},
	"sftp: remove outside the upload directories: /srv/files/a.txt",
)

test_setstat_outside_denied if denied_because(
	{"operation": "setstat", "path": "/etc/passwd", "access": "write"},
	"sftp: setstat outside the upload directories: /etc/passwd",
)

test_mkdir_without_access_still_judged_as_write if denied_because(
	{"operation": "mkdir", "path": "/tmp/d"},
	"sftp: mkdir outside the upload directories: /tmp/d",
)

test_rename_within_upload if allowed({
	"operation": "rename", "path": "/srv/upload/a",
	"target_path": "/srv/upload/b", "access": "write",
})

test_rename_out_of_upload_denied if denied_because(
	{"operation": "rename", "path": "/srv/upload/a", "target_path": "/srv/files/a", "access": "write"},
	"sftp: rename outside the upload directories: /srv/files/a",
)

test_rename_into_upload_from_outside_denied if denied_because(
	{"operation": "rename", "path": "/srv/files/a", "target_path": "/srv/upload/a", "access": "write"},
	"sftp: rename outside the upload directories: /srv/files/a",
)

test_posix_rename_judged_as_rename if {
	allowed({
		"operation": "extended", "extension": "posix-rename@openssh.com",
		"path": "/srv/upload/a", "target_path": "/srv/upload/b", "access": "write",
	})
	denied_because(
		{
			"operation": "extended", "extension": "posix-rename@openssh.com",
			"path": "/srv/upload/a", "target_path": "/etc/cron.d/x", "access": "write",
		},
		"sftp: extended outside the upload directories: /etc/cron.d/x",
	)
}

test_symlink_denied_even_in_upload if denied_because(
	{"operation": "symlink", "path": "/srv/upload/s", "target_path": "/etc/shadow", "access": "write"},
	"sftp: symbolic links are not allowed",
)

test_hard_link_within_upload_only if {
	allowed({"operation": "link", "path": "/srv/upload/l", "target_path": "/srv/upload/f", "access": "write"})
	denied_because(
		{"operation": "link", "path": "/srv/upload/l", "target_path": "/etc/shadow", "access": "write"},
		"sftp: link outside the upload directories: /etc/shadow",
	)
	denied_because(
		{
			"operation": "extended", "extension": "hardlink@openssh.com",
			"path": "/srv/upload/l", "target_path": "/etc/shadow", "access": "write",
		},
		"sftp: extended outside the upload directories: /etc/shadow",
	)
}

test_harmless_extensions if {
	allowed({"operation": "extended", "extension": "limits@openssh.com"})
	allowed({"operation": "extended", "extension": "users-groups-by-id@openssh.com"})
	allowed({"operation": "extended", "extension": "statvfs@openssh.com", "path": "/srv/files", "access": "read"})
	allowed({"operation": "extended", "extension": "expand-path@openssh.com", "path": "/srv/upload", "access": "read"})
	allowed({"operation": "extended", "extension": "lsetstat@openssh.com", "path": "/srv/upload/f", "access": "write"})
}

test_statvfs_outside_denied if denied_because(
	{"operation": "extended", "extension": "statvfs@openssh.com", "path": "/", "access": "read"},
	"sftp: read outside the allowed directories: /",
)

test_lsetstat_outside_denied if denied_because(
	{"operation": "extended", "extension": "lsetstat@openssh.com", "path": "/etc/x", "access": "write"},
	"sftp: extended outside the upload directories: /etc/x",
)

test_unknown_extension_denied if denied_because(
	{"operation": "extended", "extension": "evil@example.com"},
	"sftp: extension evil@example.com is not allowed",
)

test_directories_from_data if {
	ssh.allow with input as file_op({"operation": "open", "path": "/data/in/f", "access": "write"})
		with data.sites.sftp as {"read_dirs": ["/data/out"], "upload_dirs": ["/data/in/"]}
	not ssh.allow with input as file_op({"operation": "open", "path": "/srv/upload/f", "access": "write"})
		with data.sites.sftp as {"read_dirs": ["/data/out"], "upload_dirs": ["/data/in"]}
	ssh.allow with input as file_op({"operation": "open", "path": "/data/out/f", "access": "read"})
		with data.sites.sftp as {"read_dirs": ["/data/out"], "upload_dirs": ["/data/in"]}
}

test_path_missing_denied if not ssh.allow with input as file_op({"operation": "open", "access": "read"})
