#!/usr/bin/env bash
# Prints the newest JDK under /usr/lib/jvm whose version is 21 or newer; fails clearly if none.
set -euo pipefail
best=""; best_major=0; found=()
for home in /usr/lib/jvm/*/; do
  home="${home%/}"
  [ -x "$home/bin/javac" ] || continue
  [ -L "$home" ] && continue
  version="$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$home/release" 2>/dev/null || true)"
  [ -n "$version" ] || continue
  major="${version%%.*}"
  [ "$major" = "1" ] && major="$(echo "$version" | cut -d. -f2)"
  found+=("$major")
  if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$home"; best_major="$major"; fi
done
if [ -z "$best" ]; then
  echo "no JDK >= 21 under /usr/lib/jvm (found: ${found[*]:-none}); install one (e.g. a Temurin 21+ package)" >&2
  exit 1
fi
echo "$best"
