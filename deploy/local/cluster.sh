#!/usr/bin/env bash
# A DarwinGrid cluster on this machine: Redis (membership) and PostgreSQL (grain state, results)
# from the Debian packages on free loopback ports under a temp directory, N silo processes, and the
# web app. Stops exactly the processes it started, by the PIDs it recorded.
#
#   deploy/local/cluster.sh up [N]          start servers and N silos (default 3)
#   deploy/local/cluster.sh status          what runs, with PIDs and ports
#   deploy/local/cluster.sh kill-silo N     kill -9 silo N (a crash; the cluster fails over in ~1 s)
#   deploy/local/cluster.sh start-silo N    start silo N again (same name and ports)
#   deploy/local/cluster.sh down            stop everything this script started and delete the directory
#
# Connections between silos and from clients use mutual TLS: `up` makes a private CA, a silo and a
# client certificate (`darwin cluster certs`) in $DARWINGRID_CLUSTER_DIR/certs; silos present the
# silo certificate, cluster.env gives clients the client certificate (docs/security.md).
# Clients: `source "$DARWINGRID_CLUSTER_DIR/cluster.env"`, then e.g. `darwin campaigns` or
# `darwin screen --tasks band_gap --generate '...'` (Redis mode always joins the cluster as a client).
# Environment: DARWINGRID_CLUSTER_DIR (default /tmp/darwingrid-cluster), DARWIN (the darwin command;
# default the built src/Silo darwin.dll, built if missing), DARWINGRID_HOME (model store; default
# ~/.local/share/darwingrid, so a cached darwin-mini becomes the default model), WEB_URLS (where the
# web app listens, default http://127.0.0.1:5080). Any other DarwinGrid__* variable passes to the silos.
# Needs: apt-get install -y redis-server postgresql
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="${DARWINGRID_CLUSTER_DIR:-/tmp/darwingrid-cluster}"
pids="$dir/pids"
logs="$dir/logs"
web_urls="${WEB_URLS:-http://127.0.0.1:5080}"

die() { echo "cluster.sh: $*" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # port seconds what
  local i
  for ((i = 0; i < $2 * 10; i++)); do listening "$1" && return 0; sleep 0.1; done
  die "$3 did not listen on port $1 within $2 s (logs: $logs)"
}

alive() { [ -f "$pids/$1.pid" ] && kill -0 "$(cat "$pids/$1.pid")" 2>/dev/null; }

pg_bin() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -n "$bin" ] && [ -x "$bin/initdb" ] || die "PostgreSQL is not installed: apt-get install -y postgresql"
  echo "$bin"
}

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

darwin_command() {
  if [ -n "${DARWIN:-}" ]; then echo "$DARWIN"; return; fi
  local dll
  dll="$(ls -t "$repo"/src/Silo/bin/{Release,Debug}/net10.0/darwin.dll 2>/dev/null | head -1 || true)"
  if [ -z "$dll" ]; then
    echo "building darwin (dotnet build src/Silo) ..." >&2
    dotnet build "$repo/src/Silo" -v q --nologo >&2
    dll="$repo/src/Silo/bin/Debug/net10.0/darwin.dll"
  fi
  echo "dotnet $dll"
}

# shellcheck disable=SC1091
load_env() { [ -f "$dir/cluster.env" ] || die "no cluster in $dir (run: $0 up)"; source "$dir/cluster.env"; }

start_redis() {
  command -v redis-server >/dev/null || die "redis-server is not installed: apt-get install -y redis-server"
  mkdir -p "$dir/redis"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$dir/redis" --save "" --appendonly no --daemonize no \
    >"$logs/redis.log" 2>&1 &
  echo $! >"$pids/redis.pid"
  wait_port "$REDIS_PORT" 10 "redis-server"
}

start_postgres() {
  local bin
  bin="$(pg_bin)"
  mkdir -p "$dir/pg"
  [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$dir/pg"
  as_postgres "$bin/initdb" -D "$dir/pg/data" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$logs/initdb.log" 2>&1 \
    || die "initdb failed (see $logs/initdb.log)"
  cat >>"$dir/pg/data/postgresql.conf" <<EOF
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/pg'
max_connections = 200
EOF
  as_postgres "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 60 start >/dev/null \
    || die "PostgreSQL did not start (see $dir/pg/server.log)"
  head -1 "$dir/pg/data/postmaster.pid" >"$pids/postgres.pid"
  as_postgres "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres darwingrid
}

start_silo() { # n
  local n="$1" port_var="SILO_PORT_$1" gw_var="GATEWAY_PORT_$1" args=()
  alive "silo$n" && die "silo $n already runs (PID $(cat "$pids/silo$n.pid"))"
  [ -n "${!port_var:-}" ] || die "silo $n was not part of this cluster (up started ${SILOS} silos)"
  # The web app is co-hosted by `darwin serve --urls` (silo 1). When it becomes its own client
  # process, start it next to the silos here instead, with cluster.env in its environment.
  [ "$n" = 1 ] && args+=(--urls "$web_urls")
  # shellcheck disable=SC2086
  DarwinGrid__SiloName="silo$n" DarwinGrid__SiloPort="${!port_var}" DarwinGrid__GatewayPort="${!gw_var}" \
    DarwinGrid__Cluster__AdvertisedIp=127.0.0.1 \
    DarwinGrid__Cluster__Tls__Certificate="$dir/certs/silo.pem" DarwinGrid__Cluster__Tls__Key="$dir/certs/silo.key" \
    $DARWIN_CMD serve "${args[@]}" >>"$logs/silo$n.log" 2>&1 &
  echo $! >"$pids/silo$n.pid"
  wait_port "${!gw_var}" 60 "silo $n"
  echo "silo $n: PID $(cat "$pids/silo$n.pid"), silo port ${!port_var}, gateway ${!gw_var}"
}

stop_pid() { # name signal
  local file="$pids/$1.pid" pid i
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "-$2" "$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { echo "$1 (PID $pid) did not stop; killing it" >&2; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$file"
}

up() {
  local n="${1:-3}" i
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "up takes a number of silos, not '$n'"
  [ -e "$dir/cluster.env" ] && die "a cluster already runs in $dir (run: $0 down)"
  mkdir -p "$pids" "$logs"
  REDIS_PORT="$(free_port)" PG_PORT="$(free_port)"
  # shellcheck disable=SC2046
  $(darwin_command) cluster certs --out "$dir/certs" >/dev/null || die "could not make the cluster certificates in $dir/certs"
  {
    echo "# DarwinGrid local cluster: source this file to use it from a client (darwin ... in Redis mode)."
    echo "export DarwinGrid__Cluster__Mode=Redis"
    echo "export DarwinGrid__Cluster__Redis=127.0.0.1:$REDIS_PORT"
    echo "export DarwinGrid__Storage__Provider=PostgreSql"
    echo "export DarwinGrid__Storage__PostgreSql='Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=darwingrid'"
    echo "export DarwinGrid__Cluster__Tls__Certificate=$dir/certs/client.pem"
    echo "export DarwinGrid__Cluster__Tls__Key=$dir/certs/client.key"
    echo "export DarwinGrid__Cluster__Tls__CertificateAuthority=$dir/certs/ca.pem"
    echo "REDIS_PORT=$REDIS_PORT PG_PORT=$PG_PORT SILOS=$n"
    for ((i = 1; i <= n; i++)); do echo "SILO_PORT_$i=$(free_port) GATEWAY_PORT_$i=$(free_port)"; done
    echo "DARWIN_CMD='$(darwin_command)'"
  } >"$dir/cluster.env"
  load_env
  trap 'echo "cluster.sh: up failed; stopping what it started" >&2; down' EXIT
  start_redis
  echo "redis: PID $(cat "$pids/redis.pid"), port $REDIS_PORT"
  start_postgres
  echo "postgres: PID $(cat "$pids/postgres.pid"), port $PG_PORT, database darwingrid"
  for ((i = 1; i <= n; i++)); do start_silo "$i"; done
  trap - EXIT
  echo "web app: $web_urls (co-hosted by silo 1 once the web app is in the build)"
  echo "clients: source $dir/cluster.env"
}

down() {
  local name
  [ -d "$pids" ] || { echo "nothing runs in $dir"; return 0; }
  for name in $(ls "$pids" | sed -n 's/^\(silo[0-9]*\)\.pid$/\1/p'); do stop_pid "$name" TERM; done
  stop_pid postgres INT # fast shutdown
  stop_pid redis TERM
  rm -rf "$dir"
  echo "stopped; removed $dir"
}

status() {
  load_env
  local name
  for name in redis postgres $(seq -f 'silo%g' 1 "$SILOS"); do
    if alive "$name"; then echo "$name: running, PID $(cat "$pids/$name.pid")"; else echo "$name: not running"; fi
  done
}

case "${1:-}" in
  up) up "${2:-3}" ;;
  down) down ;;
  status) status ;;
  kill-silo)
    load_env
    [ -n "${2:-}" ] || die "kill-silo needs a silo number"
    alive "silo$2" || die "silo $2 is not running"
    kill -KILL "$(cat "$pids/silo$2.pid")"
    echo "killed silo $2 (PID $(cat "$pids/silo$2.pid"))"
    rm -f "$pids/silo$2.pid"
    ;;
  start-silo)
    load_env
    [ -n "${2:-}" ] || die "start-silo needs a silo number"
    DARWIN_CMD="$DARWIN_CMD" start_silo "$2"
    ;;
  *) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
