#!/usr/bin/env bash
# Installs the cuDNN frontend headers (NVIDIA's header-only C++ graph API, whose `sdpa`
# node ops::attention's cuDNN path builds) into <repo>/.deps/cudnn-frontend, from the
# PyPI wheel nvidia-cudnn-frontend. CMake looks there by default (option DC_CUDNN_FRONTEND).
# Only include/ and the wheel's dist-info (version, licenses) are kept: about 3 MB.
#
# Idempotent. Never fatal: without pip or network it warns and the build uses the
# flash-attention kernel alone.
#
#   installer/deps/install-cudnn-frontend.sh            # pinned version below
#   DC_CUDNN_FRONTEND_VERSION=1.31.0 installer/deps/install-cudnn-frontend.sh
set -uo pipefail

version="${DC_CUDNN_FRONTEND_VERSION:-1.32.0}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
prefix="$repo/.deps/cudnn-frontend"

if [ -f "$prefix/include/cudnn_frontend.h" ] && [ -d "$prefix/nvidia_cudnn_frontend-$version.dist-info" ]; then
  echo "install-cudnn-frontend.sh: cuDNN frontend $version already in $prefix"
  exit 0
fi
if ! python3 -m pip --version >/dev/null 2>&1; then
  echo "install-cudnn-frontend.sh: warning: python3 -m pip is unavailable; attention will not use cuDNN" >&2
  exit 0
fi

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
# --target skips PEP 668's externally-managed check: nothing lands in the system site-packages.
if ! python3 -m pip install --quiet --no-deps --no-compile --disable-pip-version-check --root-user-action=ignore \
     --target "$staging" "nvidia-cudnn-frontend==$version"; then
  echo "install-cudnn-frontend.sh: warning: pip could not install nvidia-cudnn-frontend==$version;" \
       "attention will not use cuDNN" >&2
  exit 0
fi
if [ ! -f "$staging/include/cudnn_frontend.h" ]; then
  echo "install-cudnn-frontend.sh: warning: the wheel has no include/cudnn_frontend.h; attention will not use cuDNN" >&2
  exit 0
fi

new_deps_dir=0
[ -d "$repo/.deps" ] || new_deps_dir=1
rm -rf "$prefix"
mkdir -p "$prefix"
mv "$staging/include" "$staging"/nvidia_cudnn_frontend-*.dist-info "$prefix"/
# Run through sudo: leave the tree to the user who owns the checkout.
if [ -n "${SUDO_UID:-}" ]; then
  if [ "$new_deps_dir" -eq 1 ]; then chown "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$repo/.deps"; fi
  chown -R "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$prefix"
fi
echo "install-cudnn-frontend.sh: cuDNN frontend $version headers in $prefix/include"
