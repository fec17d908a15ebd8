#!/usr/bin/env bash
# The whole benchmark suite in one command, then its summary (issue 16).
#
#   benchmarks/run.sh            full mode: the classes' own settings, every shape and size
#                                (estimated 75 minutes on 2 cores)
#   benchmarks/run.sh quick      fewer iterations, fewer shapes at the largest sizes
#                                (estimated 19 minutes on 2 cores); labelled "quick"
#   benchmarks/run.sh summary DIR   the summary of an earlier run's results again
#
# Raw results go to benchmarks/results/<mode>-<time>/ (git-ignored): one JMH JSON file per
# step, RetainedMemory's JSON, run.properties and machine.md. The summary is printed, and
# written with its charts to docs/benchmarks.md and docs/benchmarks/*.png. Set JDBC_DATABASES
# (e.g. H2) to limit the durable benchmark to the databases that are running.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
jar="$here/target/benchmarks.jar"
mode="${1:-full}"

summary() {
  java -cp "$jar" dev.dagflow.benchmarks.report.Report "$1" \
    "$root/docs/benchmarks.md" "$root/docs/benchmarks"
}

case "$mode" in
  full|quick) ;;
  summary)
    [ $# -eq 2 ] || { echo "usage: $0 summary RESULTS_DIR" >&2; exit 2; }
    summary "$2"
    exit 0
    ;;
  *) echo "usage: $0 [full|quick|summary DIR]" >&2; exit 2 ;;
esac

cd "$root"
mvn -B -q -pl benchmarks -am package -DskipTests

out="$here/results/$mode-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
started="$(date -u +%FT%TZ)"
{
  echo "- $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "- $(free -g | awk '/^Mem:/ {print $2}') GB of memory"
  echo "- $(java -version 2>&1 | head -1), $(uname -sr)"
  echo "- load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' (with changes)')"
} > "$out/machine.md"

# step NAME JMH-ARGS...: one JMH run, its JSON in $out/NAME.json
step() {
  local name="$1"
  shift
  echo "== $name: java -jar benchmarks.jar $* ($(date -u +%T))"
  local t0=$SECONDS
  java -jar "$jar" "$@" -rf json -rff "$out/$name.json" || echo "== $name FAILED (exit $?)"
  echo "== $name took $((SECONDS - t0)) s"
}

memory() {
  local shape="$1"
  echo "== memory $shape ($(date -u +%T))"
  java -Xms8g -Xmx8g -cp "$jar" dev.dagflow.benchmarks.RetainedMemory 1000000 "$shape" \
    "$out/memory-$shape.json" || echo "== memory $shape FAILED (exit $?)"
}

all_shapes=LAYERED_100,CHAIN,FAN_OUT_IN,LAYERED_1000
databases="${JDBC_DATABASES:-H2,POSTGRESQL,MARIADB}"
if [ "$mode" = full ]; then
  # the classes' settings: 3 warm-up and 5 measured iterations of 2 s, one fork
  step engine EngineThroughputBenchmark.scaling -p n=1000,10000,100000
  # a dagflow run of 1e6 nodes takes seconds: one run per iteration
  step engine-1e6 EngineThroughputBenchmark.scaling -p n=1000000 -bm ss -tu ms -wi 2 -i 5
  # Dexecutor overflows on the chain of 10,000 and takes minutes on a join of 10,000 parents
  step dexecutor EngineThroughputBenchmark.versusDexecutor -p shape=LAYERED_100,LAYERED_1000
  step dexecutor-small EngineThroughputBenchmark.versusDexecutor -p shape=CHAIN,FAN_OUT_IN \
    -p n=1000
  step evaluator EvaluatorBenchmark
  step spec SpecValidationBenchmark
  step triggers TriggerMatchBenchmark
  for shape in ${all_shapes//,/ }; do memory "$shape"; done
  step jdbc JdbcEngineBenchmark -p database="$databases"
  step remote RemotePollingBenchmark
else
  short=(-wi 1 -w 1 -i 2 -r 1)
  step engine EngineThroughputBenchmark.scaling -p n=1000,10000,100000 "${short[@]}"
  step engine-1e6 EngineThroughputBenchmark.scaling -p n=1000000 -p shape=LAYERED_100,CHAIN \
    -bm ss -tu ms -wi 1 -i 1
  step dexecutor EngineThroughputBenchmark.versusDexecutor -p shape=LAYERED_100,LAYERED_1000 \
    "${short[@]}"
  step dexecutor-small EngineThroughputBenchmark.versusDexecutor -p shape=CHAIN,FAN_OUT_IN \
    -p n=1000 "${short[@]}"
  step evaluator EvaluatorBenchmark -p shape=LAYERED_100,LAYERED_1000 \
    -p n=1000,100000,1000000 "${short[@]}"
  step spec SpecValidationBenchmark -p shape=LAYERED_100,LAYERED_1000 "${short[@]}"
  step triggers TriggerMatchBenchmark "${short[@]}"
  for shape in LAYERED_100 LAYERED_1000; do memory "$shape"; done
  step jdbc JdbcEngineBenchmark -p database="${JDBC_DATABASES:-H2,POSTGRESQL}" -wi 1 -i 1
  step remote RemotePollingBenchmark -wi 1 -w 2 -i 1 -r 5
fi

cat > "$out/run.properties" <<PROPS
mode=$mode
command=benchmarks/run.sh${1:+ $1}
started=$started
finished=$(date -u +%FT%TZ)
PROPS
summary "$out"
