#!/usr/bin/env bash
# DC-AE decode: ours (whole and tiled) beside diffusers on the same GPU, same shapes, same run.
#   tests/bench/run_dcae_decode.sh BUILD_DIR [SIZES]
# Prints one joined table: median ms and peak GiB for each, and ours/ref ratios.
set -euo pipefail
build="${1:?usage: run_dcae_decode.sh BUILD_DIR [SIZES]}"
sizes="${2:-1024,2048,4096}"
here="$(cd "$(dirname "$0")" && pwd)"
published="$here/../data/dcae/published"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for variant in dc-ae-f32c32-sana-1.0 dc-ae-f64c128-in-1.0; do
  cfg="$published/$variant/config.json"
  "$build/tests/bench/dc_bench_dcae_decode" --config "$cfg" --sizes "$sizes" --label "$variant" | tail -n +2 >>"$tmp/ours"
  "$build/tests/bench/dc_bench_dcae_decode" --config "$cfg" --sizes "$sizes" --label "$variant" --tiled | tail -n +2 >>"$tmp/tiled"
  python3 "$here/bench_dcae_decode_diffusers.py" --config "$cfg" --sizes "$sizes" --label "$variant" | tail -n +2 >>"$tmp/ref"
done
printf "%-22s %5s | %8s %8s %8s %6s %6s | %7s %7s %7s %6s %6s\n" config size ours_ms tiled_ms ref_ms r_ours r_tile \
  ours_GB tiled_GB ref_GB r_ours r_tile
paste "$tmp/ours" "$tmp/tiled" "$tmp/ref" | awk '
  function ratio(a, b) { return (b + 0 > 0 && a + 0 > 0) ? sprintf("%.2f", a / b) : "-" }
  { printf "%-22s %5s | %8s %8s %8s %6s %6s | %7s %7s %7s %6s %6s\n", $1, $2, $3, $7, $11, ratio($3, $11), ratio($7, $11),
           $4, $8, $12, ratio($4, $12), ratio($8, $12) }'
