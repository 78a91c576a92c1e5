#!/usr/bin/env bash
# Where a server's CPU goes, thread by thread: user and system time (clock ticks, usually 1/100 s) each
# thread used during the next SECONDS, busiest first. Run it against a server under load, e.g. ours during
#   taskset -c 1 java -jar realtime-bench/target/realtime-bench.jar fanout --target ours --rate 100000 --duration 30
#   realtime-bench/thread-cpu.sh "$(pgrep -f ' -jar realtime-server/target/realtime-server.jar --port')" 10
# Threads that started or ended during the interval count from zero / are left out.
set -euo pipefail
pid="${1:?usage: thread-cpu.sh PID [SECONDS]}"
seconds="${2:-10}"
[ -d "/proc/$pid/task" ] || { echo "no process $pid" >&2; exit 1; }
declare -A user0 sys0
# the fields after the command name (which may hold spaces): utime and stime are [11] and [12]
fields() { sed 's/.*) //' "/proc/$pid/task/$1/stat" 2>/dev/null || true; }
for task in /proc/"$pid"/task/*; do
  tid="${task##*/}"
  read -r -a f <<< "$(fields "$tid")"
  (( ${#f[@]} > 12 )) || continue # the thread ended meanwhile
  user0[$tid]=${f[11]}; sys0[$tid]=${f[12]}
done
sleep "$seconds"
echo "total user sys thread (ticks of 1/$(getconf CLK_TCK) s in ${seconds} s)"
for task in /proc/"$pid"/task/*; do
  tid="${task##*/}"
  read -r -a f <<< "$(fields "$tid")"
  (( ${#f[@]} > 12 )) || continue
  du=$(( f[11] - ${user0[$tid]:-0} )); ds=$(( f[12] - ${sys0[$tid]:-0} ))
  if (( du + ds > 0 )); then echo "$(( du + ds )) $du $ds $(cat "$task/comm" 2>/dev/null)"; fi
done | sort -k1,1nr
