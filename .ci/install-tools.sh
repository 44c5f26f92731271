#!/usr/bin/env bash
# Installs the real backup tools that tests/real_tools.rs drives: restic, borgbackup, pgbackrest
# and PostgreSQL 15 (for a throwaway pgBackRest cluster), from Debian's packages.
# Idempotent: a tool already on the machine is left alone, and apt is not touched at all when
# nothing is missing. Needs root (CI runs as root) or sudo.
set -euo pipefail

missing=()
command -v restic >/dev/null 2>&1 || missing+=(restic)
command -v borg >/dev/null 2>&1 || missing+=(borgbackup)
command -v pgbackrest >/dev/null 2>&1 || missing+=(pgbackrest)
if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
    missing+=(postgresql-15)
fi

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-tools: restic, borg, pgbackrest and PostgreSQL 15 already present"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

echo "install-tools: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-tools: done ($(restic version 2>/dev/null | head -1); $(borg --version 2>/dev/null); $(pgbackrest version 2>/dev/null))"
