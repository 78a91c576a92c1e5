#!/usr/bin/env bash
# The whole side-by-side comparison in one command, from the repository root:
#   realtime-bench/bench.sh [compare options, e.g. --subscribers 1000 --rate 25000,50000,100000 --steady-ramp 1000]
# installs the peers (Soketi 1.6.1, Socket.IO 4.8, the C floor) into realtime-bench/peers/.work, builds the
# standalone server and realtime-bench.jar, then runs `compare` with the servers on core 0 and the load
# generator on core 1 (on a machine with one core both share it: the report says so).
# Results: bench-results/{fanout,ramp,idle}-<time>.{csv,md}, fanout-<time>-{delivered,p99}.png, compare-<time>.md;
# then 10 000 subscribers, 1 000 channels x 10, two nodes over Redis (ours and Soketi) and an unpinned compare
# (BENCH_SKIP_MORE=1 skips them), and
# ours alone over xhr_streaming / xhr_polling and across two nodes (bench-results/ours-*-<time>.md).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

realtime-bench/peers/install.sh
mvn -B -q -pl realtime-server,realtime-bench -am package -DskipTests

# other work on the machine skews every figure: say so before measuring, the reports record it too
read -r one five fifteen _ < /proc/loadavg
echo "load average before the run: $one $five $fifteen (on $(nproc) CPUs)"
if awk -v l="$one" 'BEGIN { exit !(l > 0.5) }'; then
  echo "warning: the machine is busy; figures will be noisy" >&2
fi

# fanout and channels keep every target's subscribers connected at once (10 000 each for three servers):
# raise this shell's open-file limit, which the load generator inherits, as far as it may go
ulimit -n 100000 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "open files allowed: $(ulimit -n)"

load_cores=1
redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }
if [ "$(nproc)" -lt 2 ]; then
  load_cores=0
fi
taskset -c "$load_cores" java -Xms512m -Xmx2g -jar realtime-bench/target/realtime-bench.jar compare "$@"

# The issue's other scenarios, same servers, same pinning (BENCH_SKIP_MORE=1 skips them): 10 000 subscribers
# on one channel, 1 000 channels x 10 subscribers, and the servers unpinned (sharing both cores with the load).
if [ "${BENCH_SKIP_MORE:-0}" != 1 ]; then
  echo "== 10 000 subscribers on one channel"
  taskset -c "$load_cores" java -Xms512m -Xmx2g -jar realtime-bench/target/realtime-bench.jar fanout --target ours,soketi,socketio,floor \
      --subscribers 10000 --rate 25000,50000,100000,200000 --duration 8
  echo "== 1 000 channels x 10 subscribers"
  taskset -c "$load_cores" java -Xms512m -Xmx2g -jar realtime-bench/target/realtime-bench.jar channels --target ours,soketi,socketio,floor \
      --rate 10000,20000,40000,80000 --duration 10
  echo "== one subscriber: what one HTTP publish costs each server"
  taskset -c "$load_cores" java -Xms512m -Xmx2g -jar realtime-bench/target/realtime-bench.jar fanout --target ours,soketi,socketio \
      --subscribers 1 --rate 1000,1000,4000 --duration 10
  if redis_up; then
    echo "== two nodes linked through Redis: subscribers on node b, publishes to node a (ours and Soketi's redis adapter)"
    taskset -c "$load_cores" java -Xms512m -Xmx2g -jar realtime-bench/target/realtime-bench.jar fanout \
        --target ours-2nodes,soketi-2nodes --subscribers 1000 --rate 50000,100000,200000 --duration 10
  else
    echo "(no Redis on 127.0.0.1:6379: the two-node comparison is skipped)"
  fi
  if [ "$(nproc)" -ge 2 ]; then
    echo "== unpinned: servers and load generator share every core"
    java -Xms512m -Xmx2g -jar realtime-bench/target/realtime-bench.jar compare --server-cores all \
        --target ours,soketi,floor --rate 50000,100000,200000 --ramp-connections 10000 --idle-connections 0
  fi
fi

# The rows only we have: the HTTP transports (the peers have no xhr_streaming / xhr_polling) and two
# nodes over a broker (when Redis answers on 127.0.0.1:6379). BENCH_SKIP_OURS_ONLY=1 skips them.
if [ "${BENCH_SKIP_OURS_ONLY:-0}" != 1 ]; then
  stamp="$(date +%Y%m%d-%H%M%S)"
  mkdir -p bench-results
  for t in ws xhr_streaming xhr_polling; do
    echo "== ours over $t (1 000 subscribers, 100 and 200 events/s)"
    taskset -c "$load_cores" java -cp realtime-bench/target/benchmarks.jar dev.realtime.bench.ws.FanoutBenchmark \
        --transport "$t" --subscribers 1000 --rates 100,200 --seconds 10 | tee -a "bench-results/ours-transports-$stamp.md"
  done
  if redis_up; then
    # beyond the comparison above: publishes on the subscribers' own node too, and presence after a node dies
    echo "== ours, two nodes over Redis"
    taskset -c "$load_cores" java -cp realtime-bench/target/benchmarks.jar dev.realtime.bench.ws.ClusterFanoutBenchmark \
        --broker redis://127.0.0.1:6379 --rates 100,200 --seconds 10 | tee "bench-results/ours-two-nodes-$stamp.md"
  else
    echo "(no Redis on 127.0.0.1:6379: the two-node rows are skipped)"
  fi
fi
