#!/bin/sh
# Builds and runs the boost::lockfree::spsc_queue peer harness; prints items/s (best of RUNS runs).
# Usage: Benchmarks/peers/run_boost.sh [ITEMS] [RUNS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if ! dpkg -s libboost-dev >/dev/null 2>&1; then apt-get install -y libboost-dev >/dev/null; fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
g++ -O2 -std=c++17 -pthread -o "$out/boost_spsc" "$here/boost_spsc.cpp"
"$out/boost_spsc" "${1:-20000000}" "${2:-3}"
