#!/usr/bin/env bash
# Builds the native shim (libsrnative.so) with CMake; called by src/Sr.Torch's build (incremental).
# Installs the Debian prerequisites when missing and running as root; otherwise names the command.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${SRNATIVE_BUILD_DIR:-$here/build}"
pkgs="libtorch-dev cmake g++ libopencv-dev libopenblas0-pthread fonts-dejavu-core"

missing() {
  command -v cmake >/dev/null 2>&1 || return 0
  command -v g++ >/dev/null 2>&1 || return 0
  [ -f /usr/lib/x86_64-linux-gnu/cmake/Torch/TorchConfig.cmake ] || [ -n "${Torch_DIR:-}" ] || return 0
  [ -d /usr/include/opencv4/opencv2/imgcodecs ] || return 0
  # OpenBLAS: without it Debian's libtorch runs matmuls on the reference BLAS (~27x slower here).
  ls /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 >/dev/null 2>&1 || [ -n "${Torch_DIR:-}" ] || return 0
  # The figures' font (src/Sr.Plots/PlotFonts.cs): ScottPlot's SkiaSharp natives carry no fonts of their own.
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || return 0
  return 1
}

if missing; then
  cmd="apt-get update && apt-get install -y $pkgs"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "srnative: installing native prerequisites: $pkgs" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq $pkgs >&2
  else
    echo "error SR0001: native prerequisites are missing (libtorch, cmake, OpenCV, OpenBLAS, DejaVu fonts). As root run: $cmd" >&2
    exit 1
  fi
fi

mkdir -p "$build"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release ${Torch_DIR:+-DTorch_DIR="$Torch_DIR"} >&2
fi
# Only the shim: the benchmark references srnative_bench and srnative_direct (native/bench) are built on demand by
# `sr bench native` (samples/Sr.Bench/NativeBench.cs), keeping a fresh set-up one library short.
cmake --build "$build" --target srnative -j "$(nproc)" >&2
