#!/usr/bin/env bash
# On a machine with an NVIDIA GPU: build for its architecture, run the `gpu`-labelled
# tests, then the device benchmarks (ours beside diffusers, same run): DC_BENCHES="dcae attention flux".
#   tests/run_gpu.sh [LOG_DIR]      (DC_CUDA_ARCHS, default 90a; DC_BUILD_DIR, default build-gpu)
# Extra CMake arguments (e.g. a prefix holding carried dependencies) go in DC_CMAKE_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."
logs="${1:-gpu-logs}"
mkdir -p "$logs"
build="${DC_BUILD_DIR:-build-gpu}"
# shellcheck disable=SC2086
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES="${DC_CUDA_ARCHS:-90a}" \
  ${DC_CMAKE_ARGS:-} >"$logs/configure.log" 2>&1 || { tail -30 "$logs/configure.log"; exit 1; }
cmake --build "$build" --parallel >"$logs/build.log" 2>&1 || { grep -E "error|FAILED" "$logs/build.log" | head -30; exit 1; }
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$logs/gpu.txt"
ctest --test-dir "$build" -L gpu --output-on-failure --timeout 900 >"$logs/gpu_tests.log" 2>&1 && gpu_ok=1 || gpu_ok=0
grep -E "tests passed|tests failed|Failed|\*\*\*" "$logs/gpu_tests.log" | tail -15
"$build/app/dcgen/dcgen" selftest --device cuda --dtype f32 | tee "$logs/selftest_cuda.log"
"$build/app/dcgen/dcgen" selftest --device cuda --dtype bf16 | tee -a "$logs/selftest_cuda.log"
# DC_BENCHES picks benchmarks (default: all); DC_SKIP_BENCH=1 runs none.
benches="${DC_BENCHES:-dcae attention flux}"
[ "${DC_SKIP_BENCH:-0}" = 1 ] && benches=""
for bench in $benches; do
  case "$bench" in
    dcae) tests/bench/run_dcae_decode.sh "$build" "${DC_BENCH_SIZES:-1024,2048,4096}" | tee "$logs/bench_dcae_decode.log" ;;
    attention)
      # Default dispatch (cuDNN SDPA for bf16/f16 when built with it), then our flash kernel alone.
      { "$build/tests/bench/dc_bench_attention"; echo "# DC_ATTENTION_BACKEND=flash";
        DC_ATTENTION_BACKEND=flash "$build/tests/bench/dc_bench_attention";
        python3 tests/bench/bench_attention_torch.py; } 2>&1 |
        tee "$logs/bench_attention.log" ;;
    flux) tests/bench/run_flux_step.sh "$build" 2>&1 | tee "$logs/bench_flux_step.log" ;;
    *) echo "unknown benchmark $bench" >&2 ;;
  esac
done
[ "$gpu_ok" = 1 ]
