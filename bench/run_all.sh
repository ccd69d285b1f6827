#!/usr/bin/env bash
# Run every benchmark once, one after another (they share the machine's two cores), and keep
# each JSON report in bench/results/. About 40 minutes. Usage: bash bench/run_all.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
py=.venv/bin/python
for scenario in rpm-minute rpm-second tpm-second learned faults cpu memory; do
    echo "== $scenario"
    $py bench/bench_ratelimit.py "$scenario" > "bench/results/$scenario.json"
done
echo "== estimate and budget"
$py bench/bench_estimate.py > bench/results/estimate.json
echo "== client floor"
$py bench/bench_client_floor.py > bench/results/client_floor.txt
echo "== profile"
$py bench/profile_client.py --rows 3000 2>/dev/null | tail -9 > bench/results/profile.txt
echo "== judge (20,000 rows with and without)"
$py bench/bench_judge.py --rows 20000 > bench/results/judge.txt
