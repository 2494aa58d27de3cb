#!/usr/bin/env bash
# Builds policies/ into opa-bundles/build/bundle.tar.gz, the bundle the gateway's OPA serves.
#
# The bundle's revision is the git commit (with "-dirty" when the tree has uncommitted changes,
# "unknown" outside git); OPA reports it in the provenance of every decision, so the audit log
# can say which policy decided. Test files (*_test.rego) stay out of the bundle.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
out_dir="$here/build"
bundle="$out_dir/bundle.tar.gz"

# The pinned OPA: $PORTCULLIS_OPA, else opa on PATH, else the copy the build fetched.
if [[ -n "${PORTCULLIS_OPA:-}" ]]; then
  opa="$PORTCULLIS_OPA"
elif command -v opa >/dev/null 2>&1; then
  opa="$(command -v opa)"
else
  opa="$HOME/.cache/portcullis/opa/v1.22.2/opa"
fi
if [[ ! -x "$opa" ]]; then
  echo "build.sh: no opa binary at $opa (set PORTCULLIS_OPA or put opa on PATH)" >&2
  exit 1
fi

revision="unknown"
if git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  revision="$(git -C "$repo" rev-parse HEAD)"
  # Only changes that reach the bundle count; untracked files too, since a new .rego file does.
  if [[ -n "$(git -C "$repo" status --porcelain -- policies opa-bundles)" ]]; then
    revision="$revision-dirty"
  fi
fi

# opa build reads the roots from a .manifest at the bundle root, so the policies are staged
# beside a copy of ours. Roots ["portcullis"] let this bundle own data.portcullis and nothing else.
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp -R "$repo/policies/." "$stage/"
cp "$here/.manifest" "$stage/.manifest"

mkdir -p "$out_dir"
# Built from inside the stage so the file names in the tarball are relative (portcullis/...).
(cd "$stage" && "$opa" build --bundle . \
  --revision "$revision" \
  --ignore '*_test.rego' \
  --output "$bundle.tmp")
mv "$bundle.tmp" "$bundle"

echo "bundle: $bundle"
echo "revision: $revision"
