#!/usr/bin/env bash
# The whole test suite, as the README's quick start runs it. Installs the real backup tools
# the tests drive (restic, borgbackup, pgbackrest, PostgreSQL) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x .ci/install-tools.sh ] || [ -f .ci/install-tools.sh ]; then
  bash .ci/install-tools.sh
fi
exec cargo test --locked --all-targets "$@"
