#!/usr/bin/env bash
# conv2d on DC-AE decoder shapes: ours (dc_bench_conv) beside torch.nn.functional.conv2d,
# same GPU, same run. Prints one joined table; ratio = ours / torch (cudnn.benchmark off).
#   tests/bench/bench_conv_compare.sh BUILD_DIR [extra dc_bench_conv args]
set -euo pipefail
build="${1:?usage: bench_conv_compare.sh BUILD_DIR [args]}"
shift
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$build/tests/bench/dc_bench_conv" "$@" >"$tmp/ours"
python3 "$here/bench_conv_torch.py" >"$tmp/torch"
printf "%-10s %-28s | %9s %8s | %9s %8s | %11s %8s | %6s %6s | %9s\n" shape conv ours_ms TF/s torch_ms TF/s \
  torch_bm_ms TF/s ratio r_bm check
join <(tail -n +2 "$tmp/ours" | awk '{ printf "%s|", $1; for (i = 2; i <= NF - 3; ++i) printf "%s ", $i;
                                      printf "|%s|%s|%s\n", $(NF-2), $(NF-1), $NF }' | sort -t'|' -k1,1) \
     <(tail -n +2 "$tmp/torch" | awk '{ printf "%s|%s|%s|%s|%s\n", $1, $2, $3, $4, $5 }' | sort -t'|' -k1,1) \
     -t'|' | awk -F'|' '
  function ratio(a, b) { return (b + 0 > 0 && a + 0 > 0) ? sprintf("%.2f", a / b) : "-" }
  { printf "%-10s %-28s | %9s %8s | %9s %8s | %11s %8s | %6s %6s | %9s\n", $1, $2, $3, $4, $6, $7, $8, $9,
           ratio($3, $6), ratio($3, $8), $5 }'
