#!/usr/bin/env bash
# FLUX.1 12B transformer step (1024², 2048², 4K DC-Gen f64 shapes) and the end-to-end
# 4K DC-Gen-FLUX shape (20 steps + DC-AE f64c128 decode): ours beside diffusers, same GPU, same run.
#   tests/bench/run_flux_step.sh BUILD_DIR
set -euo pipefail
build="${1:?usage: run_flux_step.sh BUILD_DIR}"
here="$(cd "$(dirname "$0")" && pwd)"
cfg="$here/data/flux1-dev-transformer.json"
dcae="$here/../data/dcae/published/dc-ae-f64c128-in-1.0/config.json"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$build/tests/bench/dc_bench_flux_step" --config "$cfg" --e2e-dcae "$dcae" | tail -n +2 >"$tmp/ours"
python3 "$here/bench_flux_step_diffusers.py" --config "$cfg" | tail -n +2 >"$tmp/ref"
python3 "$here/bench_dcae_decode_diffusers.py" --config "$dcae" --sizes 4096 | tail -n +2 >"$tmp/ref_decode"
echo "== ours"; cat "$tmp/ours"
echo "== diffusers"; cat "$tmp/ref"; cat "$tmp/ref_decode"
printf "%-14s %6s | %9s %9s %6s | %8s %8s %6s\n" case tokens ours_ms ref_ms ratio ours_GB ref_GB ratio
paste "$tmp/ours" "$tmp/ref" | awk '
  function ratio(a, b) { return (b + 0 > 0 && a + 0 > 0) ? sprintf("%.2f", a / b) : "-" }
  $1 != "e2e-4k-dcgen" { printf "%-14s %6s | %9s %9s %6s | %8s %8s %6s\n", $1, $2, $3, $7, ratio($3, $7), $4, $8, ratio($4, $8) }'
# Reference end to end = 20 x its 4K step + its 4K decode (diffusers' own components, same run).
ref_step=$(awk '$1 == "4k-dcgen-f64" { print $3 }' "$tmp/ref")
ref_decode=$(awk '{ print $3 }' "$tmp/ref_decode")
ours_e2e=$(awk '$1 == "e2e-4k-dcgen" { print $3 }' "$tmp/ours")
awk -v s="$ref_step" -v d="$ref_decode" -v o="$ours_e2e" 'BEGIN {
  r = 20 * s + d; printf "%-14s %6s | %9.1f %9.1f %6.2f |  (ref = 20 x %.1f + %.1f decode)\n", "e2e-4k-dcgen", 20, o, r, o / r, s, d }'
