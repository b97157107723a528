#!/usr/bin/env bash
# DC-AE decode: ours beside diffusers on the same GPU, same shapes, same run.
#   tests/bench/run_dcae_decode.sh BUILD_DIR [SIZES] [--tiled]
# Prints one joined table (time and peak memory, ratio ours/ref).
set -euo pipefail
build="${1:?usage: run_dcae_decode.sh BUILD_DIR [SIZES] [--tiled]}"
sizes="${2:-1024,2048,4096}"
extra="${3:-}"
here="$(cd "$(dirname "$0")" && pwd)"
published="$here/../data/dcae/published"
tmp="$(mktemp -d)"
for variant in dc-ae-f32c32-sana-1.0 dc-ae-f64c128-in-1.0; do
  cfg="$published/$variant/config.json"
  "$build/tests/bench/dc_bench_dcae_decode" --config "$cfg" --sizes "$sizes" --label "$variant" $extra | tail -n +2 >>"$tmp/ours"
  python3 "$here/bench_dcae_decode_diffusers.py" --config "$cfg" --sizes "$sizes" --label "$variant" | tail -n +2 >>"$tmp/ref"
done
printf "%-24s %6s %10s %10s %7s %12s %12s %7s\n" config size ours_ms ref_ms ratio ours_GiB ref_GiB ratio
paste "$tmp/ours" "$tmp/ref" | awk '{
  r1 = ($7 + 0 > 0) ? sprintf("%.2f", $3 / $7) : "-"; r2 = ($8 + 0 > 0) ? sprintf("%.2f", $4 / $8) : "-";
  printf "%-24s %6s %10s %10s %7s %12s %12s %7s\n", $1, $2, $3, $7, r1, $4, $8, r2 }'
rm -rf "$tmp"
