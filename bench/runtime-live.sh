#!/usr/bin/env bash
# Live capture overhead: runs a workload of execs and opens twice, without and then with
# `bulwark runtime` capturing live with the upstream Falco rules. Prints the workload's wall time
# in both runs, the CPU seconds of bulwark and bpftrace, the events handled and the drops.
# Needs root, bpftrace and a built bin/bulwark.js. Usage: bench/runtime-live.sh [ITERATIONS] [RULES]
set -euo pipefail
cd "$(dirname "$0")/.."

iterations=${1:-2000}
rules=${2:-../shared/falco/falco_rules.yaml}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Each iteration execs cat, which opens the two files plus its libraries and locale files.
workload() {
  local start end
  start=$(date +%s.%N)
  for ((i = 0; i < iterations; i++)); do
    /bin/cat /etc/hostname /etc/os-release > /dev/null
  done
  end=$(date +%s.%N)
  awk -v start="$start" -v end="$end" 'BEGIN { print end - start }'
}

# CPU seconds (user + system) of one process from /proc/PID/stat.
cpu_seconds() {
  # The name field may contain spaces, so fields are counted from the closing parenthesis.
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print ($12 + $13) / hz }' "/proc/$1/stat"
}

# The pid of a direct child of $1 (bulwark starts bpftrace, or unshare that execs bpftrace).
child_of() {
  awk -v parent="$1" '{ line = $0; sub(/^.*\) /, "", line); split(line, f, " "); if (f[2] == parent) print $1 }' /proc/[0-9]*/stat 2> /dev/null | head -n 1
}

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r), $(bpftrace --version)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); iterations: $iterations (one cat of two files each)"

baseline=$(workload)

node bin/bulwark.js runtime -r "$rules" --format json > "$work/alerts" 2> "$work/stderr" &
bulwark=$!
for _ in $(seq 1 120); do grep -q 'live capture started' "$work/stderr" && break; sleep 0.5; done
bpftrace_pid=$(child_of "$bulwark")
bulwark_before=$(cpu_seconds "$bulwark")
bpftrace_before=$(cpu_seconds "$bpftrace_pid")

traced=$(workload)

sleep 1
bulwark_cpu=$(awk -v a="$(cpu_seconds "$bulwark")" -v b="$bulwark_before" 'BEGIN { print a - b }')
bpftrace_cpu=$(awk -v a="$(cpu_seconds "$bpftrace_pid")" -v b="$bpftrace_before" 'BEGIN { print a - b }')
kill -INT "$bulwark"
wait "$bulwark"
summary=$(grep '"live"' "$work/stderr")
captured=$(echo "$summary" | sed -E 's/.*"captured":([0-9]+).*/\1/')
dropped=$(echo "$summary" | sed -E 's/.*"dropped":([0-9]+).*/\1/')

printf 'workload without capture: %.2f s\n' "$baseline"
printf 'workload with capture:    %.2f s (slow-down x%.2f)\n' "$traced" "$(awk -v a="$traced" -v b="$baseline" 'BEGIN { print a / b }')"
printf 'CPU during the workload:  bulwark %.2f s, bpftrace %.2f s\n' "$bulwark_cpu" "$bpftrace_cpu"
printf 'events captured: %s from start to stop (about %.0f/s over the workload time), dropped: %s\n' "$captured" "$(awk -v a="$captured" -v b="$traced" 'BEGIN { print a / b }')" "$dropped"
