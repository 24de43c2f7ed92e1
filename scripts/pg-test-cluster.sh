#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the PostgreSQL store's tests (Tests/PostgresStoreTests).
#
#   eval "$(scripts/pg-test-cluster.sh start)"   # prints the exports below, cluster running
#   scripts/pg-test-cluster.sh stop [FOLDER]      # stops it and removes its folder
#   scripts/pg-test-cluster.sh install            # apt-get install postgresql when missing (root)
#
# `start` makes a cluster in a new temporary folder with Debian's initdb/pg_ctl
# (/usr/lib/postgresql/*/bin), owned by an unprivileged user (initdb refuses root: when run
# as root it uses the `postgres` user, or creates `vigie-ci`), listening on a free port of
# 127.0.0.1 only, trust authentication for the superuser `vigie` (loopback and a socket in
# the folder), fsync and synchronous_commit on as in production. It prints
#   export VIGIE_TEST_POSTGRES_URL=postgres://vigie@127.0.0.1:PORT/postgres?sslmode=disable
#   export VIGIE_PG_TEST_DIR=FOLDER
# `stop` uses $VIGIE_PG_TEST_DIR when no folder is given.
set -euo pipefail

die() { echo "pg-test-cluster: $*" >&2; exit 1; }

bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] || return 1
    echo "$dir"
}

install_postgresql() {
    bindir >/dev/null && return 0
    [ "$(id -u)" = 0 ] || die "PostgreSQL is missing: apt-get install postgresql (as root; .ci/run does)"
    # Debian's package would create and start a cluster of its own: not wanted here.
    mkdir -p /etc/postgresql-common
    [ -e /etc/postgresql-common/createcluster.conf ] \
        || echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    bindir >/dev/null || die "postgresql installed but no initdb under /usr/lib/postgresql/*/bin"
}

# The user the cluster runs as, and a way to run a command as that user.
cluster_user() {
    if [ "$(id -u)" != 0 ]; then id -un; return; fi
    if id postgres >/dev/null 2>&1; then echo postgres; return; fi
    id vigie-ci >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin vigie-ci
    echo vigie-ci
}

as_user() {
    local user=$1; shift
    if [ "$(id -un)" = "$user" ]; then "$@"; else runuser -u "$user" -- "$@"; fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    local bin user dir port
    bin=$(bindir) || die "PostgreSQL is missing (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql, or run 'scripts/pg-test-cluster.sh install' as root (.ci/run does)"
    user=$(cluster_user)
    dir=$(mktemp -d /tmp/vigie-pg.XXXXXX)
    chmod 700 "$dir"
    chown "$user" "$dir"
    port=$(free_port)
    as_user "$user" "$bin/initdb" -D "$dir/data" -U vigie --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; die "initdb failed"; }
    as_user "$user" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=500 -c fsync=on -c synchronous_commit=on" \
        start >/dev/null \
        || { cat "$dir/server.log" >&2; as_user "$user" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"; die "the server did not start"; }
    echo "export VIGIE_TEST_POSTGRES_URL='postgres://vigie@127.0.0.1:$port/postgres?sslmode=disable'"
    echo "export VIGIE_PG_TEST_DIR='$dir'"
}

stop() {
    local dir=${1:-${VIGIE_PG_TEST_DIR:-}} bin user
    [ -n "$dir" ] || die "stop: no folder given and VIGIE_PG_TEST_DIR is not set"
    case "$dir" in /tmp/vigie-pg.*) ;; *) die "stop: $dir is not a folder this script made" ;; esac
    [ -d "$dir" ] || return 0
    if bin=$(bindir) && [ -f "$dir/data/postmaster.pid" ]; then
        user=$(stat -c %U "$dir")
        as_user "$user" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop "${2:-}" ;;
    install) install_postgresql ;;
    *) die "usage: $0 start | stop [FOLDER] | install" ;;
esac
