#!/usr/bin/env bash
# Builds policies/ into an OPA bundle, opa-bundles/build/bundle.tar.gz, whose revision is the git
# commit (with -dirty when the tree has uncommitted changes). Test files stay out of the bundle.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
opa="$(find_opa)"
revision="unknown"
if git -C "$repo_root" rev-parse HEAD >/dev/null 2>&1; then
  revision="$(git -C "$repo_root" rev-parse HEAD)"
  [ -z "$(git -C "$repo_root" status --porcelain -- policies)" ] || revision="$revision-dirty"
fi
out="$repo_root/opa-bundles/build/bundle.tar.gz"
mkdir -p "$(dirname "$out")"
"$opa" build --bundle "$repo_root/policies" --ignore '*_test.rego' --revision "$revision" --output "$out"
echo "bundle: $out"
echo "revision: $revision"
