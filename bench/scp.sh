#!/usr/bin/env bash
# scp throughput: a file (200 MB) copied with the real scp (SFTP protocol, OpenSSH 9) to a local
# OpenSSH server directly, and through the gateway (every sftp operation decided, data streamed),
# interleaved ROUNDS times. Prints MB/s per run and the ratio gateway / direct (target >= 0.45x).
# Both legs use AES-GCM: the client is told -c aes128-gcm@openssh.com, and the server offers only
# AES-GCM, so the gateway's own leg can negotiate nothing else. One untimed warm-up copy first.
#   SIZE_MB=200  ROUNDS=3  DIRECTION=upload|download
#   GW_JAVA_OPTS='-XX:StartFlightRecording=filename=/tmp/gw.jfr' to profile the gateway
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
size_mb="${SIZE_MB:-200}"
rounds="${ROUNDS:-3}"
direction="${DIRECTION:-upload}"
cipher=aes128-gcm@openssh.com

start_sshd
mkdir -p "$work/upload" "$work/files"
head -c "$((size_mb * 1024 * 1024))" /dev/urandom > "$work/files/src.bin"
start_ssh_gateway gw "{\"read_dirs\": [\"$work/files\"], \"upload_dirs\": [\"$work/upload\"]}"
askpass="$(askpass_for "$gw_token")"

common=(-q -c "$cipher" -o BatchMode=no -o StrictHostKeyChecking=accept-new -o LogLevel=ERROR)
direct() {
  if [ "$direction" = upload ]; then
    scp "${common[@]}" -i "$sshd_key" -o IdentitiesOnly=yes -o UserKnownHostsFile="$sshd_known_hosts" \
      -P "$sshd_port" "$work/files/src.bin" "$sshd_user@127.0.0.1:$work/upload/direct.bin"
  else
    scp "${common[@]}" -i "$sshd_key" -o IdentitiesOnly=yes -o UserKnownHostsFile="$sshd_known_hosts" \
      -P "$sshd_port" "$sshd_user@127.0.0.1:$work/files/src.bin" "$work/direct.bin"
  fi
}
gateway() {
  if [ "$direction" = upload ]; then
    SSH_ASKPASS="$askpass" SSH_ASKPASS_REQUIRE=force scp "${common[@]}" -o PubkeyAuthentication=no \
      -o UserKnownHostsFile="$gw_known_hosts" -P "$gw_ssh_port" "$work/files/src.bin" "files@127.0.0.1:$work/upload/gw.bin"
  else
    SSH_ASKPASS="$askpass" SSH_ASKPASS_REQUIRE=force scp "${common[@]}" -o PubkeyAuthentication=no \
      -o UserKnownHostsFile="$gw_known_hosts" -P "$gw_ssh_port" "files@127.0.0.1:$work/files/src.bin" "$work/gw.bin"
  fi
}
results="$work/results.tsv"
run() { # label function output
  local start end
  rm -f "$3"
  start=$(date +%s.%N)
  "$2"
  end=$(date +%s.%N)
  cmp -s "$work/files/src.bin" "$3" || { echo "$1: the copy differs from the source" >&2; exit 1; }
  python3 -c "import sys; print(f'{sys.argv[1]}\t{$size_mb / ($end - $start):.1f}')" "$1" | tee -a "$results"
}
if [ "$direction" = upload ]; then d_out="$work/upload/direct.bin"; g_out="$work/upload/gw.bin"; else d_out="$work/direct.bin"; g_out="$work/gw.bin"; fi
# One untimed copy each way first: the gateway's JIT warms up as a long-running gateway's has.
gateway >/dev/null; direct >/dev/null
echo "run	MB/s"
for _ in $(seq 1 "$rounds"); do
  run direct direct "$d_out"
  run gateway gateway "$g_out"
done

mkdir -p "$repo_root/bench/results"
report="$repo_root/bench/results/scp-$direction-$(date +%Y%m%d-%H%M%S).txt"
python3 - "$results" "$size_mb" "$direction" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY' | tee "$report"
import sys, collections, statistics
by = collections.defaultdict(list)
for line in open(sys.argv[1]):
    label, v = line.split()
    by[label].append(float(v))
print(f"scp {sys.argv[3]} of {sys.argv[2]} MB, aes128-gcm@openssh.com, interleaved; {sys.argv[4]} cores, load {sys.argv[5]}\n")
for label in ("direct", "gateway"):
    print(f"{label:8} avg {statistics.mean(by[label]):7.1f} MB/s  runs {', '.join(f'{v:.1f}' for v in by[label])}")
g, d = statistics.mean(by["gateway"]), statistics.mean(by["direct"])
print(f"\ngateway / direct: {g / d:.2f}x (target >= 0.45x)")
PY
echo "written: $report"
