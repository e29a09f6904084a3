#!/usr/bin/env bash
# Makes sure PostgreSQL (127.0.0.1:5432, user postgres) and MariaDB (127.0.0.1:3306,
# root with an empty password) run and accept connections, starting them when down.
# Tests create their own databases; this only checks admin access.
#   SERVICES_TIMEOUT  seconds to wait for each server (default 60)
set -euo pipefail

TIMEOUT="${SERVICES_TIMEOUT:-60}"

log() { echo "services.sh: $*" >&2; }
die() { log "$*"; exit 1; }

postgres_ready() { pg_isready -q -h 127.0.0.1 -p 5432 -t 2; }
mariadb_ready() { mariadb-admin -h127.0.0.1 -P3306 -uroot --connect-timeout=2 ping >/dev/null 2>&1; }

start_postgres() {
  local version
  version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)"
  [[ -n "$version" ]] || die "no PostgreSQL cluster under /etc/postgresql: install postgresql"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
}

start_mariadb() {
  [[ -x /usr/sbin/mariadbd ]] || die "no /usr/sbin/mariadbd: install mariadb-server"
  # mariadbd needs its socket directory, which a reboot clears.
  install -d -o mysql -g mysql /run/mysqld 2>/dev/null || mkdir -p /run/mysqld
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
}

# wait_for NAME CHECK: polls CHECK until it passes or TIMEOUT seconds passed.
wait_for() {
  local name="$1" check="$2" deadline=$((SECONDS + TIMEOUT))
  until "$check"; do
    ((SECONDS < deadline)) || die "$name did not accept connections within ${TIMEOUT}s"
    sleep 0.5
  done
  log "$name is up"
}

ensure() {
  local name="$1" check="$2" start="$3"
  if "$check"; then
    log "$name is up"
    return 0
  fi
  log "$name is down: starting it"
  "$start"
  wait_for "$name" "$check"
}

ensure PostgreSQL postgres_ready start_postgres
ensure MariaDB mariadb_ready start_mariadb

psql -h 127.0.0.1 -U postgres -d postgres -tAc 'SELECT 1' >/dev/null \
  || die "PostgreSQL at 127.0.0.1:5432 refused user postgres (trust auth expected)"
mariadb -h127.0.0.1 -uroot -e 'SELECT 1' >/dev/null \
  || die "MariaDB at 127.0.0.1:3306 refused root with an empty password"
log "PostgreSQL 127.0.0.1:5432 and MariaDB 127.0.0.1:3306 accept admin connections"
