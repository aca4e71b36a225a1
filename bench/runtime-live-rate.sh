#!/usr/bin/env bash
# Live capture throughput: one perl process opens /etc/hostname RATE times a second for SECONDS
# while `bulwark runtime` captures live with the upstream Falco rules. Prints the opens done, the
# events captured and dropped, and the lag from the syscall to processing.
# Raise RATE until events are dropped or perl cannot keep the rate; the events/s handled with no
# drops is opens done / elapsed time. Needs root, bpftrace, perl and a built bin/bulwark.js.
# Usage: bench/runtime-live-rate.sh RATE [SECONDS] [RULES]
set -euo pipefail
cd "$(dirname "$0")/.."

rate=${1:?usage: bench/runtime-live-rate.sh RATE [SECONDS] [RULES]}
seconds=${2:-5}
rules=${3:-../shared/falco/falco_rules.yaml}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r), $(bpftrace --version)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); load average: $(cut -d' ' -f1-3 /proc/loadavg); target: $rate opens/s for $seconds s"

node bin/bulwark.js runtime -r "$rules" --format json > "$work/alerts" 2> "$work/stderr" &
bulwark=$!
for _ in $(seq 1 120); do grep -q 'live capture started' "$work/stderr" && break; sleep 0.5; done

# Opens are paced per millisecond, so perl keeps the rate as long as it gets the CPU for it.
perl -MTime::HiRes=time,sleep -e '
  my ($rate, $seconds) = @ARGV;
  my $start = time;
  my $done = 0;
  while ((my $elapsed = time - $start) < $seconds) {
    my $due = int($elapsed * $rate);
    while ($done < $due) { open(my $file, "<", "/etc/hostname") or die "open: $!"; close($file); $done++; }
    sleep(0.001);
  }
  my $elapsed = time - $start;
  printf "opens: %d in %.2f s (%.0f/s)\n", $done, $elapsed, $done / $elapsed;
' "$rate" "$seconds"

sleep 2
kill -INT "$bulwark"
wait "$bulwark"
grep '"live"' "$work/stderr" | sed -E 's/.*"captured":([0-9]+),"dropped":([0-9]+).*"lagMaxNs":([0-9]+),"lagTotalNs":([0-9]+).*/\1 \2 \3 \4/' |
  awk '{ printf "events captured: %d, dropped: %d, lag: mean %.1f ms, max %.0f ms\n", $1, $2, ($1 > 0 ? $4 / $1 / 1e6 : 0), $3 / 1e6 }'
