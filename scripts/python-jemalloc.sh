#!/bin/sh
# The PyTorch reference of `sr bench networks` with jemalloc in place of glibc's malloc (Debian: apt-get install libjemalloc2):
#   ./sr bench networks --python scripts/python-jemalloc.sh
# SrMlNet's shim keeps freed tensor blocks for reuse (native/src/allocator.cpp); this gives PyTorch a comparable allocator.
lib=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
[ -f "$lib" ] || { echo "python-jemalloc.sh: $lib not found (apt-get install libjemalloc2)" >&2; exit 1; }
LD_PRELOAD="$lib" exec /usr/bin/python3 "$@"
