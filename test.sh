#!/usr/bin/env bash
# Runs every test of SrMlNet. On a fresh Debian 12 machine (as root) the build installs the native
# prerequisites (libtorch-dev, cmake, libopencv-dev, libopenblas0-pthread) and builds the shim itself.
set -euo pipefail
cd "$(dirname "$0")"
dotnet test SrMlNet.sln -c Release --nologo "$@"
