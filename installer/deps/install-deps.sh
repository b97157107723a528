#!/usr/bin/env bash
# Installs DC Studio's build dependencies from Debian 12 packages.
# Idempotent and non-interactive; run as root (or through sudo).
#
#   installer/deps/install-deps.sh          # engine, dcgen, tests
#   installer/deps/install-deps.sh --ui     # also Qt 6, Vulkan, ImGui, FFmpeg (the desktop app)
#
# With a CUDA toolkit (nvcc), also pip and the cuDNN frontend headers in .deps/cudnn-frontend
# (install-cudnn-frontend.sh; a failure there only warns).
set -euo pipefail

want_ui=0
for arg in "$@"; do
  case "$arg" in
    --ui) want_ui=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "install-deps.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then exec sudo "$0" "$@"; fi
  echo "install-deps.sh: run as root (apt-get needs it)" >&2
  exit 1
fi

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libopenblas-dev nlohmann-json3-dev libcli11-dev libsentencepiece-dev
  libgtest-dev libgmock-dev
  libopenimageio-dev
  python3 python3-venv
)
have_cuda=0
if [ -x /usr/local/cuda/bin/nvcc ] || command -v nvcc >/dev/null 2>&1; then
  have_cuda=1
  # pip fetches the cuDNN frontend wheel below
  python3 -m pip --version >/dev/null 2>&1 || packages+=(python3-pip)
fi
if [ "$want_ui" -eq 1 ]; then
  packages+=(
    qt6-base-dev qt6-base-dev-tools libvulkan-dev glslc glslang-tools spirv-tools
    vulkan-validationlayers mesa-vulkan-drivers libimgui-dev libxcb1-dev xvfb xauth
    libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libswresample-dev
  )
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps.sh: all ${#packages[@]} packages already installed"
else
  echo "install-deps.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ "$have_cuda" -eq 1 ]; then
  "$(dirname "$0")/install-cudnn-frontend.sh"
fi
