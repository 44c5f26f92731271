#!/usr/bin/env bash
# Ingestion benchmark: generates N synthetic drproof CSV events in a temporary folder (never
# committed) and loads them with a release build, printing time, events/second and peak memory.
# Usage: bench/ingest.sh [EVENTS] [--jsonl] [--threads N] [--keep DIR]   (default 10,000,000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --example ingest_bench
exec ./target/release/examples/ingest_bench "$@"
