#!/bin/sh
# Writes the metrics `vigie serve`'s /metrics does not carry — the outcome database's
# write-ahead log size and deployment drift — for node_exporter's textfile collector
# (docs/production.md, "Dashboard and alerts"; contrib/prometheus/vigie-alerts.yml
# alerts on them). Run it from a systemd timer or cron every 15 minutes:
#
#   vigie-textfile.sh --config /etc/vigie/vigie.yaml --database /var/lib/vigie/vigie.sqlite \
#       --output /var/lib/node_exporter/textfile/vigie.prom
#
# `vigie plan --detailed-exitcode` reads the API (one listing of the callbacks and
# monitors): every 15 minutes is plenty. `--no-plan` leaves drift out. The file is
# written to a temporary name and renamed, so the collector never reads half of it.
# Exit 0 when the file was written (even when `vigie plan` failed: that is a metric),
# 64 on a usage error, 1 when the file could not be written.
set -u

config="" database="" output="" vigie="${VIGIE:-vigie}" plan=1
usage() {
    echo "usage: $0 --config vigie.yaml --database vigie.sqlite --output FILE.prom [--vigie PATH] [--no-plan]" >&2
    exit 64
}
while [ $# -gt 0 ]; do
    case "$1" in
        --config) [ $# -ge 2 ] || usage; config="$2"; shift 2 ;;
        --database) [ $# -ge 2 ] || usage; database="$2"; shift 2 ;;
        --output) [ $# -ge 2 ] || usage; output="$2"; shift 2 ;;
        --vigie) [ $# -ge 2 ] || usage; vigie="$2"; shift 2 ;;
        --no-plan) plan=0; shift ;;
        *) echo "error: unknown argument $1" >&2; usage ;;
    esac
done
[ -n "$database" ] && [ -n "$output" ] || usage
[ "$plan" = 0 ] || [ -n "$config" ] || { echo "error: --config is needed for drift (or --no-plan)" >&2; usage; }
[ -f "$database" ] || { echo "error: --database $database: no such file" >&2; exit 64; }

size() { if [ -f "$1" ]; then stat -c %s "$1"; else echo 0; fi; }

tmp="$output.$$.tmp"
trap 'rm -f "$tmp"' EXIT
{
    echo "# HELP vigie_database_bytes Size of the outcome database file, bytes."
    echo "# TYPE vigie_database_bytes gauge"
    echo "vigie_database_bytes $(size "$database")"
    echo "# HELP vigie_database_wal_bytes Size of the outcome database's write-ahead log (the -wal file), bytes."
    echo "# TYPE vigie_database_wal_bytes gauge"
    echo "vigie_database_wal_bytes $(size "$database-wal")"
    if [ "$plan" = 1 ]; then
        "$vigie" plan --config "$config" --detailed-exitcode >/dev/null 2>&1
        status=$?
        case "$status" in
            0) drift=0 success=1 ;;
            2) drift=1 success=1 ;;
            *) drift="" success=0 ;;
        esac
        echo "# HELP vigie_deployment_check_success 1 when the last vigie plan --detailed-exitcode ran, 0 when it failed."
        echo "# TYPE vigie_deployment_check_success gauge"
        echo "vigie_deployment_check_success $success"
        echo "# HELP vigie_deployment_check_timestamp_seconds When vigie plan last ran (Unix time)."
        echo "# TYPE vigie_deployment_check_timestamp_seconds gauge"
        echo "vigie_deployment_check_timestamp_seconds $(date +%s)"
        if [ -n "$drift" ]; then
            echo "# HELP vigie_deployment_drift 1 when vigie plan found monitors or a callback to change, 0 when none."
            echo "# TYPE vigie_deployment_drift gauge"
            echo "vigie_deployment_drift $drift"
        fi
    fi
} >"$tmp" || { echo "error: cannot write $tmp" >&2; exit 1; }
mv "$tmp" "$output" || { echo "error: cannot write $output" >&2; exit 1; }
