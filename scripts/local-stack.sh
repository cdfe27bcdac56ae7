#!/usr/bin/env bash
# Local service stack for geohazard, without Docker: the one way to start the backing services for a
# developer, for .ci/run and for the integration tests (which read .stack/env).
#
#   bash scripts/local-stack.sh up      start what is not running, create database, topics and bucket,
#                                       write .stack/env; returns once every service answers
#   bash scripts/local-stack.sh down    stop Kafka and s3proxy (MariaDB and Redis are shared system
#                                       services: they are never stopped here)
#   bash scripts/local-stack.sh status  one line per service; exit 0 only if all of them answer
#   bash scripts/local-stack.sh restart kafka|s3proxy
#                                       stop one of our services and start it again, data kept
#
# MariaDB and Redis are system services: used if they answer, started if installed, installed with
# apt-get if missing. Kafka (single-node KRaft) and s3proxy (S3 API over a folder) run as our own Java
# processes from jars fetched once from Maven Central (scripts/stack/*/pom.xml).
# Everything this script creates lives under <repo>/.stack/ (git-ignored): lib/, kafka/, s3proxy/,
# logs/*.log, *.pid and env.
#
# Measured on the project's machine (Debian 12, 2 shared cores, MariaDB and Redis already running):
#   cold `up`, no .stack/ and an empty ~/.m2 (fresh CI machine):   ~100 s (downloads 134 MB)
#   cold `up`, no .stack/, jars already in ~/.m2 (fresh clone):    22-33 s (depends on machine load)
#   `up` after `down` (jars and Kafka storage kept):                9-11 s
#   warm `up`, everything running (changes nothing):                1.3-1.6 s
#
# Settings (environment, defaults in brackets):
#   GEOHAZARD_KAFKA_PORT [19092]  GEOHAZARD_KAFKA_CONTROLLER_PORT [19093]  GEOHAZARD_S3_PORT [19000]
#   GEOHAZARD_S3_BUCKET [geohazard-images]  GEOHAZARD_S3_ACCESS_KEY [geohazard]
#   GEOHAZARD_S3_SECRET_KEY [geohazard-secret]  GEOHAZARD_S3_REGION [us-east-1]
#   GEOHAZARD_DB_HOST [127.0.0.1]  GEOHAZARD_DB_PORT [3306]  GEOHAZARD_DB_USER [root]
#   GEOHAZARD_DB_PASSWORD [empty]  GEOHAZARD_DB_NAME [geohazard]
#   GEOHAZARD_REDIS_HOST [127.0.0.1]  GEOHAZARD_REDIS_PORT [6379]
#   GEOHAZARD_PARTITIONS_<TOPIC> partitions of a topic, e.g. GEOHAZARD_PARTITIONS_IMAGES_PROCESS=8
#   GEOHAZARD_STACK_TIMEOUT [120] seconds to wait for each service to answer
# The credentials above are local development defaults only.
set -euo pipefail

REPO_ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
STACK_DIR="$REPO_ROOT/.stack"
LOG_DIR="$STACK_DIR/logs"
LIB_DIR="$STACK_DIR/lib"
KAFKA_DIR="$STACK_DIR/kafka"
S3_DIR="$STACK_DIR/s3proxy"

KAFKA_HOST=127.0.0.1
KAFKA_PORT=${GEOHAZARD_KAFKA_PORT:-19092}
KAFKA_CONTROLLER_PORT=${GEOHAZARD_KAFKA_CONTROLLER_PORT:-19093}
S3_HOST=127.0.0.1
S3_PORT=${GEOHAZARD_S3_PORT:-19000}
S3_BUCKET=${GEOHAZARD_S3_BUCKET:-geohazard-images}
S3_ACCESS_KEY=${GEOHAZARD_S3_ACCESS_KEY:-geohazard}
S3_SECRET_KEY=${GEOHAZARD_S3_SECRET_KEY:-geohazard-secret}
S3_REGION=${GEOHAZARD_S3_REGION:-us-east-1}
DB_HOST=${GEOHAZARD_DB_HOST:-127.0.0.1}
DB_PORT=${GEOHAZARD_DB_PORT:-3306}
DB_USER=${GEOHAZARD_DB_USER:-root}
DB_PASSWORD=${GEOHAZARD_DB_PASSWORD:-}
DB_NAME=${GEOHAZARD_DB_NAME:-geohazard}
REDIS_HOST=${GEOHAZARD_REDIS_HOST:-127.0.0.1}
REDIS_PORT=${GEOHAZARD_REDIS_PORT:-6379}
TIMEOUT=${GEOHAZARD_STACK_TIMEOUT:-120}

# name:partitions, replication 1 (single broker). Production sizes live in docker/.
# name:partitions:retention (ms): the seed's retention, 1 h / 24 h / 7 d / 24 h for images.process /
# ml.results / alerts.critical / system.monitoring (a claim waiting longer is sent again by the node's sweep,
# kafka.requeueAfterSeconds); the dead letters are kept 7 days for people to look at.
TOPICS=(images.process:8:3600000 images.process.high:4:3600000 images.process.dlq:1:604800000
        ml.results:4:86400000 alerts.critical:2:604800000 system.monitoring:1:86400000)

JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
# Short-lived admin CLI runs: a small heap and the C1 compiler only start noticeably faster on 2 cores.
CLI_JVM_OPTS=(-Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)

# ---------------------------------------------------------------------------------------- helpers

warn() { printf 'local-stack: %s\n' "$*" >&2; }
die() { warn "$*"; exit 1; }

# report SERVICE STATE DETAIL: the one line per service that up/down/status print.
report() { printf '%-8s %-5s %s\n' "$1" "$2" "$3"; }

# fail SERVICE WHY LOGFILE...: name the service that is not working, show the end of its logs, exit 1.
fail() {
  local service=$1 why=$2 f
  shift 2
  report "$service" FAIL "$why"
  for f in "$@"; do
    if [[ -s $f ]]; then
      printf -- '---- last 30 lines of %s\n' "$f" >&2
      tail -n 30 -- "$f" >&2
    fi
  done
  exit 1
}

is_local_host() { [[ $1 == 127.0.0.1 || $1 == localhost || $1 == ::1 ]]; }

# shellcheck disable=SC2016 # $0 and $1 belong to the inner bash
port_open() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null; }

# True if whatever listens on HOST PORT answers an HTTP request (any status: s3proxy says 403 to an
# anonymous request, which still proves it is serving). Plain bash, so curl is not needed.
# shellcheck disable=SC2016 # $0 and $1 belong to the inner bash
http_answers() {
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "HEAD / HTTP/1.0\r\nHost: %s\r\n\r\n" "$0" >&3
    IFS= read -r line <&3 && [[ $line == HTTP/* ]]' "$1" "$2" 2>/dev/null
}

# Root is needed to install packages and to start the system daemons; use sudo when not root.
# 9>&-: a daemon started from here must not inherit the lock (see lock_stack), or it would hold it
# for as long as it runs.
as_root() {
  if (( EUID == 0 )); then "$@" 9>&-
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo -n "$@" 9>&-
  else return 1
  fi
}

apt_install() {
  local log="$LOG_DIR/apt.log"
  command -v apt-get >/dev/null || { warn "cannot install $*: no apt-get on this machine"; return 1; }
  echo "installing $* with apt-get (first run on this machine)..."
  { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
  } </dev/null >>"$log" 2>&1
}

# Our Java processes carry -Dgeohazard.stack=<their dir> on the command line. That tells them apart
# from anything else (a pid reused after a reboot, another checkout's stack) and finds them even when
# the pid file is gone (say .stack/ was deleted while they ran). A zombie has an empty cmdline, so a
# process that died counts as not running.
has_marker() {
  local pid=$1 marker="-Dgeohazard.stack=$STACK_DIR/$2" arg
  [[ -r /proc/$pid/cmdline ]] || return 1
  while IFS= read -r -d '' arg; do
    [[ $arg == "$marker" ]] && return 0
  done 2>/dev/null <"/proc/$pid/cmdline"
  return 1
}

# service_pid NAME: print the pid of our running NAME process, or fail. Clears a stale pid file.
service_pid() {
  local name=$1 pidfile="$STACK_DIR/$1.pid" pid="" dir
  if [[ -f $pidfile ]]; then
    read -r pid <"$pidfile" || true
    if [[ $pid =~ ^[0-9]+$ ]] && has_marker "$pid" "$name"; then
      echo "$pid"
      return 0
    fi
    rm -f -- "$pidfile"
  fi
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    if has_marker "$pid" "$name"; then
      [[ -d $STACK_DIR ]] && echo "$pid" >"$pidfile"
      echo "$pid"
      return 0
    fi
  done
  return 1
}

# start_java NAME JAVA-ARGS...: run a service in its own session (it outlives this script and the
# terminal), output appended to .stack/logs/NAME.log.
start_java() {
  local name=$1 log="$LOG_DIR/$1.log"
  shift
  # Logs are appended across restarts (the last crash stays visible); keep one old generation.
  if [[ -f $log ]] && (($(stat -c %s "$log") > 20 * 1024 * 1024)); then mv -f -- "$log" "$log.1"; fi
  printf '==== %s starting %s\n' "$(date '+%F %T')" "$name" >>"$log"
  # 9>&-: without it the service would inherit the lock of lock_stack and keep it while it runs.
  setsid "$JAVA" "-Dgeohazard.stack=$STACK_DIR/$name" "$@" </dev/null >>"$log" 2>&1 9>&- &
  echo $! >"$STACK_DIR/$name.pid"
}

# stop_java NAME SECONDS: SIGTERM, wait up to SECONDS for a clean shutdown, then SIGKILL.
stop_java() {
  local name=$1 grace=$2 pid deadline
  pid=$(service_pid "$name") || return 0
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + grace))
  while has_marker "$pid" "$name" && ((SECONDS < deadline)); do sleep 0.2; done
  if has_marker "$pid" "$name"; then
    warn "$name (pid $pid) still running ${grace}s after SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while has_marker "$pid" "$name" && ((SECONDS < deadline)); do sleep 0.2; done
  fi
  rm -f -- "$STACK_DIR/$name.pid"
}

# await SERVICE PROCESS CMD...: poll CMD until it succeeds (0), the deadline passes (1), or, when
# PROCESS names one of our Java services, that process dies (2): a crash is reported at once, not
# after the full timeout.
await() {
  local process=$2 deadline=$((SECONDS + TIMEOUT))
  shift 2
  until "$@"; do
    if [[ -n $process ]] && ! service_pid "$process" >/dev/null; then return 2; fi
    ((SECONDS < deadline)) || return 1
    sleep 0.25
  done
}

# Write FILE only when its content changes, so a second `up` touches nothing; true if it changed.
write_if_changed() {
  local file=$1 content
  content=$(cat)
  if [[ -f $file ]] && [[ "$(<"$file")" == "$content" ]]; then return 1; fi
  printf '%s\n' "$content" >"$file.tmp"
  mv -f -- "$file.tmp" "$file"
}

# fetch_jars NAME: copy the runtime jars of scripts/stack/NAME/pom.xml into .stack/lib/NAME, once.
# A stamp of the pom is kept so that editing the pom (a version bump) fetches again.
fetch_jars() {
  local name=$1 pom="$REPO_ROOT/scripts/stack/$1/pom.xml" dest="$LIB_DIR/$1" stamp tmp
  stamp=$(sha256sum <"$pom")
  stamp=${stamp%% *}
  if [[ -f $dest/.pom.sha256 && "$(<"$dest/.pom.sha256")" == "$stamp" ]]; then return 0; fi
  command -v mvn >/dev/null || die "mvn is needed once to fetch the $name jars from Maven Central"
  echo "fetching $name jars from Maven Central (first run)..."
  # Into a temporary folder, then renamed: an interrupted download never looks complete.
  tmp="$dest.tmp"
  rm -rf -- "$tmp"
  if ! mvn -B -q -f "$pom" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$tmp" </dev/null >"$LOG_DIR/$name-fetch.log" 2>&1; then
    fail "$name" "could not fetch its jars (mvn dependency:copy-dependencies)" "$LOG_DIR/$name-fetch.log"
  fi
  echo "$stamp" >"$tmp/.pom.sha256"
  rm -rf -- "$dest"
  mv -- "$tmp" "$dest"
}

# ---------------------------------------------------------------------------------------- MariaDB

mysql_tcp() {
  # The password goes through the environment, not the command line, where `ps` would show it.
  MYSQL_PWD=$DB_PASSWORD timeout 15 mysql --protocol=TCP -h "$DB_HOST" -P "$DB_PORT" -u "$DB_USER" \
    --connect-timeout=3 "$@"
}
mysql_ready() { mysql_tcp -e 'select 1' >/dev/null 2>&1; }
mysql_socket() { as_root timeout 15 mysql --protocol=SOCKET -u root "$@"; }

# SQL string literal.
sql_str() {
  local s=${1//\\/\\\\}
  printf "'%s'" "${s//\'/\'\'}"
}

# A fresh Debian MariaDB lets root in only through the unix socket (as the OS root user), but the
# application connects over TCP with a user name and password. When the server is local and we can
# get in through the socket, give the configured user password login: create it if it is missing, or
# add a password to an account that has none usable ('invalid', as root@localhost on a fresh install,
# keeping its socket login). An account that already has a real password is never changed.
grant_db_login() {
  is_local_host "$DB_HOST" || return 1
  mysql_socket -e 'select 1' >/dev/null 2>&1 || return 1
  local user pw host h exists auth scope sql=""
  user=$(sql_str "$DB_USER")
  pw=$(sql_str "$DB_PASSWORD")
  if [[ $DB_USER == root ]]; then scope='*.*'; else scope="\`$DB_NAME\`.*"; fi
  for host in localhost 127.0.0.1; do
    h=$(sql_str "$host")
    exists=$(mysql_socket -N -B -e "SELECT COUNT(*) FROM mysql.user WHERE User=$user AND Host=$h")
    if [[ $exists == 0 ]]; then
      sql+="CREATE USER $user@$h IDENTIFIED BY $pw; GRANT ALL PRIVILEGES ON $scope TO $user@$h WITH GRANT OPTION;"
      continue
    fi
    auth=$(mysql_socket -N -B -e "SELECT authentication_string FROM mysql.user WHERE User=$user AND Host=$h")
    if [[ $auth == invalid ]]; then
      sql+="ALTER USER $user@$h IDENTIFIED VIA mysql_native_password USING PASSWORD($pw) OR unix_socket;"
    fi
  done
  [[ -n $sql ]] || return 1
  echo "mariadb: giving $DB_USER password login over TCP"
  mysql_socket -e "$sql"
}

start_mariadb() {
  # /run is a tmpfs on most machines: after a reboot the socket directory is gone.
  as_root install -d -o mysql -g mysql -m 0755 /run/mysqld &&
    as_root start-stop-daemon --start --oknodo --background --output "$LOG_DIR/mariadb.log" \
      --exec /usr/sbin/mariadbd
}

mariadb_up() {
  local note="already running" logs=("$LOG_DIR/mariadb.log" /var/log/mysql/error.log "$LOG_DIR/apt.log")
  [[ $DB_NAME =~ ^[A-Za-z0-9_]+$ ]] || die "GEOHAZARD_DB_NAME must be letters, digits and _ (got '$DB_NAME')"
  # Log in first: a bare port probe would add an "aborted connection" warning to the server's log.
  if ! mysql_ready && ! port_open "$DB_HOST" "$DB_PORT"; then
    is_local_host "$DB_HOST" || fail mariadb "$DB_HOST:$DB_PORT does not answer (remote: not started here)"
    if [[ ! -x /usr/sbin/mariadbd ]]; then
      apt_install mariadb-server mariadb-client || fail mariadb "apt-get install failed" "${logs[@]}"
      note="installed and started"
    else
      note="started"
    fi
    # The package may have started it already; start-stop-daemon --oknodo is a no-op then.
    port_open "$DB_HOST" "$DB_PORT" || start_mariadb || fail mariadb "could not start mariadbd (needs root)" "${logs[@]}"
    await mariadb "" port_open "$DB_HOST" "$DB_PORT" ||
      fail mariadb "not listening on $DB_HOST:$DB_PORT after ${TIMEOUT}s" "${logs[@]}"
  fi
  command -v mysql >/dev/null || apt_install mariadb-client || fail mariadb "no mysql client" "${logs[@]}"
  # Once the port answers, a failed login is almost always the account, not the server: try to grant
  # it once, then wait only briefly.
  mysql_ready || grant_db_login || true
  TIMEOUT=20 await mariadb "" mysql_ready ||
    fail mariadb "cannot log in as '$DB_USER' at $DB_HOST:$DB_PORT (GEOHAZARD_DB_USER / GEOHAZARD_DB_PASSWORD?): $(mysql_tcp -e 'select 1' 2>&1 | tail -n 1)" "${logs[@]}"

  local err
  err=$(mysql_tcp -e "CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4" 2>&1) ||
    fail mariadb "could not create database $DB_NAME: $err"
  # The tables are the node's to make: its persistence verticle migrates the schema when it starts (Flyway,
  # src/main/resources/db/migration).
  note+=", database $DB_NAME"
  report mariadb up "$DB_HOST:$DB_PORT ($note)"
}

# ------------------------------------------------------------------------------------------ Redis

redis_ready() { [[ $(timeout 5 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; }

redis_up() {
  local note="already running" log=/var/log/redis/ci.log
  if ! redis_ready; then
    is_local_host "$REDIS_HOST" || fail redis "$REDIS_HOST:$REDIS_PORT does not answer (remote: not started here)"
    if ! command -v redis-server >/dev/null; then
      apt_install redis-server || fail redis "apt-get install failed" "$LOG_DIR/apt.log"
      note="installed and started"
    else
      note="started"
    fi
    # A cache for development: no snapshots or append-only file to clean up.
    if ! redis_ready; then
      # shellcheck disable=SC2015 # either step failing means it could not be started
      as_root install -d /var/lib/redis /var/log/redis &&
        as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" \
          --appendonly no --dir /var/lib/redis --logfile "$log" >/dev/null ||
        fail redis "could not start redis-server (needs root)" "$log"
    fi
    await redis "" redis_ready || fail redis "no PONG from $REDIS_HOST:$REDIS_PORT after ${TIMEOUT}s" "$log"
  fi
  report redis up "$REDIS_HOST:$REDIS_PORT ($note)"
}

# ------------------------------------------------------------------------------------------ Kafka

kafka_properties() {
  cat <<EOF
# Generated by scripts/local-stack.sh on every up; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$KAFKA_DIR/data
# One broker: every internal topic must accept a single replica.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# The first consumer group creates all of __consumer_offsets; 50 partitions take seconds on 2 cores.
offsets.topic.num.partitions=4
transaction.state.log.num.partitions=4
# Tests start consumers and expect them to get partitions at once.
group.initial.rebalance.delay.ms=0
EOF
}

# Timeouts well below the admin client's 60 s default: `up` polls, and a hung call would stall it.
admin_properties() {
  cat <<EOF
request.timeout.ms=5000
default.api.timeout.ms=10000
EOF
}

topic_cmd() {
  "$JAVA" "${CLI_JVM_OPTS[@]}" -cp "$LIB_DIR/kafka/*" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$KAFKA_HOST:$KAFKA_PORT" --command-config "$KAFKA_DIR/admin.properties" "$@"
}

# Lists the topics into .stack/kafka/topics.txt; success means the broker answers admin requests.
kafka_list_topics() {
  port_open "$KAFKA_HOST" "$KAFKA_PORT" || return 1
  topic_cmd --list >"$KAFKA_DIR/topics.txt" 2>>"$LOG_DIR/kafka-admin.log"
}

# A KRaft cluster id is 16 random bytes in URL-safe base64 without padding (what StorageTool
# random-uuid prints); made here to save a JVM start. Kafka avoids ids that start with '-'.
new_cluster_id() {
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
    [[ $id != -* ]] && { echo "$id"; return; }
  done
}

# Start Kafka unless our broker already runs with the same settings. Returns at once; kafka_ready waits.
kafka_launch() {
  local changed=0 pid port
  mkdir -p "$KAFKA_DIR/data"
  admin_properties | write_if_changed "$KAFKA_DIR/admin.properties" || true
  kafka_properties | write_if_changed "$KAFKA_DIR/server.properties" && changed=1
  if pid=$(service_pid kafka); then
    if ((changed == 0)) && [[ -f $KAFKA_DIR/data/meta.properties ]]; then
      KAFKA_NOTE="already running, pid $pid"
      return
    fi
    echo "kafka: settings or storage changed, restarting"
    stop_java kafka 30
    KAFKA_NOTE="restarted"
  else
    KAFKA_NOTE="started"
  fi
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    port_open "$KAFKA_HOST" "$port" &&
      fail kafka "port $port is taken by another program (set GEOHAZARD_KAFKA_PORT / GEOHAZARD_KAFKA_CONTROLLER_PORT)"
  done
  if [[ ! -f $KAFKA_DIR/data/meta.properties ]]; then
    "$JAVA" "${CLI_JVM_OPTS[@]}" -cp "$LIB_DIR/kafka/*" kafka.tools.StorageTool format \
      -t "$(new_cluster_id)" -c "$KAFKA_DIR/server.properties" >>"$LOG_DIR/kafka.log" 2>&1 ||
      fail kafka "could not format the KRaft storage" "$LOG_DIR/kafka.log"
  fi
  start_java kafka -Xms256m -Xmx512m -Dorg.slf4j.simpleLogger.showDateTime=true \
    -cp "$LIB_DIR/kafka/*" kafka.Kafka "$KAFKA_DIR/server.properties"
}

kafka_ready() {
  local rc=0 entry name partitions var pid created=() pids=()
  await kafka kafka kafka_list_topics || rc=$?
  ((rc != 2)) || fail kafka "the broker process exited" "$LOG_DIR/kafka.log"
  ((rc == 0)) || fail kafka "no answer to a topic listing on $KAFKA_HOST:$KAFKA_PORT after ${TIMEOUT}s" \
    "$LOG_DIR/kafka.log" "$LOG_DIR/kafka-admin.log"
  # One JVM per missing topic, all at once: ~2.5 s each when run one after the other on 2 cores.
  for entry in "${TOPICS[@]}"; do
    IFS=: read -r name partitions retention <<<"$entry"
    grep -qxF -- "$name" "$KAFKA_DIR/topics.txt" && continue
    # images.process.high -> GEOHAZARD_PARTITIONS_IMAGES_PROCESS_HIGH
    var=GEOHAZARD_PARTITIONS_$(tr 'a-z.-' 'A-Z__' <<<"$name")
    partitions=${!var:-$partitions}
    topic_cmd --create --if-not-exists --topic "$name" --partitions "$partitions" \
      --config "retention.ms=$retention" --replication-factor 1 >"$KAFKA_DIR/create-$name.log" 2>&1 &
    pids+=($!)
    created+=("$name")
  done
  rc=0
  for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
  for name in "${created[@]}"; do
    cat -- "$KAFKA_DIR/create-$name.log" >>"$LOG_DIR/kafka-admin.log"
    rm -f -- "$KAFKA_DIR/create-$name.log"
  done
  ((rc == 0)) || fail kafka "could not create every topic" "$LOG_DIR/kafka-admin.log"
  if ((${#created[@]})); then KAFKA_NOTE+=", created topics: ${created[*]}"; fi
  report kafka up "$KAFKA_HOST:$KAFKA_PORT ($KAFKA_NOTE)"
}

# ---------------------------------------------------------------------------------------- s3proxy

s3proxy_properties() {
  cat <<EOF
# Generated by scripts/local-stack.sh on every up; edit the script, not this file.
s3proxy.endpoint=http://$S3_HOST:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$S3_DIR/data
EOF
}

s3proxy_launch() {
  local changed=0 pid
  [[ $S3_BUCKET =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || die "GEOHAZARD_S3_BUCKET is not a valid bucket name: '$S3_BUCKET'"
  # With the filesystem backend a bucket is a folder under the basedir; the app also creates it
  # when missing, this just saves it the round trip.
  mkdir -p "$S3_DIR/data/$S3_BUCKET"
  (umask 077; s3proxy_properties | write_if_changed "$S3_DIR/s3proxy.conf") && changed=1
  if pid=$(service_pid s3proxy); then
    if ((changed == 0)); then
      S3_NOTE="already running, pid $pid"
      return
    fi
    echo "s3proxy: settings changed, restarting"
    stop_java s3proxy 15
    S3_NOTE="restarted"
  else
    S3_NOTE="started"
  fi
  port_open "$S3_HOST" "$S3_PORT" && fail s3proxy "port $S3_PORT is taken by another program (set GEOHAZARD_S3_PORT)"
  start_java s3proxy -Xmx256m -Dlogback.configurationFile="$REPO_ROOT/scripts/stack/s3proxy/logback.xml" \
    -cp "$LIB_DIR/s3proxy/*" org.gaul.s3proxy.Main --properties "$S3_DIR/s3proxy.conf"
}

s3proxy_ready() {
  local rc=0
  await s3proxy s3proxy http_answers "$S3_HOST" "$S3_PORT" || rc=$?
  ((rc != 2)) || fail s3proxy "the s3proxy process exited" "$LOG_DIR/s3proxy.log"
  ((rc == 0)) || fail s3proxy "no HTTP answer on $S3_HOST:$S3_PORT after ${TIMEOUT}s" "$LOG_DIR/s3proxy.log"
  report s3proxy up "http://$S3_HOST:$S3_PORT ($S3_NOTE, bucket $S3_BUCKET)"
}

# --------------------------------------------------------------------------------------- env file

# .stack/env: plain KEY=VALUE lines, no quoting and no comments, so that bash can source it and Java
# can split each line at its first '='. A value that would need shell quoting is refused instead.
write_env() {
  local kv value
  local pairs=(
    "GEOHAZARD_KAFKA_BOOTSTRAP=$KAFKA_HOST:$KAFKA_PORT"
    "GEOHAZARD_S3_ENDPOINT=http://$S3_HOST:$S3_PORT"
    "GEOHAZARD_S3_ACCESS_KEY=$S3_ACCESS_KEY"
    "GEOHAZARD_S3_SECRET_KEY=$S3_SECRET_KEY"
    "GEOHAZARD_S3_BUCKET=$S3_BUCKET"
    "GEOHAZARD_S3_REGION=$S3_REGION"
    "GEOHAZARD_DB_HOST=$DB_HOST"
    "GEOHAZARD_DB_PORT=$DB_PORT"
    "GEOHAZARD_DB_USER=$DB_USER"
    "GEOHAZARD_DB_PASSWORD=$DB_PASSWORD"
    "GEOHAZARD_DB_NAME=$DB_NAME"
    "GEOHAZARD_REDIS_HOST=$REDIS_HOST"
    "GEOHAZARD_REDIS_PORT=$REDIS_PORT"
  )
  for kv in "${pairs[@]}"; do
    value=${kv#*=}
    case $value in
      *[[:space:]\'\"\\\$\`\;\&\|\<\>\(\)]*)
        die "${kv%%=*} contains a character that .stack/env cannot carry unquoted: use a simpler value" ;;
    esac
  done
  (umask 077; printf '%s\n' "${pairs[@]}" | write_if_changed "$STACK_DIR/env") || true
}

# ------------------------------------------------------------------------------------- commands

# One `up` or `down` at a time: two concurrent runs would both start a broker. The lock is an open
# file descriptor (9), released when this script exits; processes started here must close it.
lock_stack() {
  exec 9>"$STACK_DIR/.lock"
  flock -w "$TIMEOUT" 9 || die "another local-stack.sh is still running (lock $STACK_DIR/.lock)"
}

# What the integration tests need besides the services: headless Chromium and its driver (DashboardIT), and
# the Debian python3 packages the generated Python SDK runs on (SdkIT; the package index is not used), and GDAL's
# gdalinfo (gdal-bin), which checks a written flood mask GeoTIFF (MaskGeoTiffWriterTest; skipped visibly without it),
# and its ogrinfo and ogr2ogr (the same package), the OGC API - Features client of OgcFeaturesIT, and wrk, the HTTP load
# generator of `LOAD_CLIENT=wrk scripts/load.sh reads` (issue 26's cached-read figure is stated with wrk -c32).
test_tools_up() {
  local missing=()
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  [[ -x /usr/bin/chromedriver ]] || missing+=(chromium-driver)
  [[ -x /usr/bin/gdalinfo ]] || missing+=(gdal-bin)  # MaskGeoTiffWriterTest opens a written flood mask in GDAL
  [[ -x /usr/bin/ogrinfo && -x /usr/bin/ogr2ogr ]] || missing+=(gdal-bin)  # OgcFeaturesIT reads /ogc with GDAL
  command -v wrk >/dev/null || missing+=(wrk)  # LOAD_CLIENT=wrk scripts/load.sh reads
  /usr/bin/python3 -c 'import pydantic' 2>/dev/null || missing+=(python3-pydantic)
  /usr/bin/python3 -c 'import urllib3' 2>/dev/null || missing+=(python3-urllib3)
  /usr/bin/python3 -c 'import dateutil' 2>/dev/null || missing+=(python3-dateutil)
  if ((${#missing[@]} == 0)); then
    report test-tools up "chromium, chromedriver, gdalinfo, ogrinfo, ogr2ogr, wrk, python3 packages of the Python SDK"
  elif apt_install "${missing[@]}"; then
    report test-tools up "installed ${missing[*]}"
  else
    warn "could not install ${missing[*]} (needs root and apt); DashboardIT and SdkIT will fail"
  fi
}

cmd_up() {
  command -v "$JAVA" >/dev/null || die "java not found (set JAVA_HOME)"
  mkdir -p "$LOG_DIR" "$LIB_DIR" "$KAFKA_DIR" "$S3_DIR"
  lock_stack
  # Kafka boots (seconds) while the s3proxy jars are fetched and the system services are checked.
  # The two fetches stay sequential: Maven 3.8 does not lock its local repository.
  fetch_jars kafka
  kafka_launch
  fetch_jars s3proxy
  s3proxy_launch
  mariadb_up
  redis_up
  test_tools_up
  kafka_ready
  s3proxy_ready
  write_env
  echo "stack is up; settings in $STACK_DIR/env"
}

cmd_down() {
  mkdir -p "$STACK_DIR"
  lock_stack
  stop_java s3proxy 15
  report s3proxy down "stopped"
  stop_java kafka 30
  report kafka down "stopped"
  echo "(MariaDB and Redis are shared system services and stay running)"
}

# Stops one of our own services and starts it again with its data kept (the fault suite restarts them under
# load); returns once it answers again.
cmd_restart() {
  local service=${1:-}
  mkdir -p "$LOG_DIR"
  lock_stack
  case "$service" in
    kafka) stop_java kafka 30; kafka_launch; kafka_ready ;;
    s3proxy) stop_java s3proxy 15; s3proxy_launch; s3proxy_ready ;;
    *) die "restart takes kafka or s3proxy (MariaDB and Redis are shared system services), not '$service'" ;;
  esac
}

cmd_status() {
  local all=0 pid
  if mysql_ready; then report mariadb up "$DB_HOST:$DB_PORT"; else report mariadb down "$DB_HOST:$DB_PORT"; all=1; fi
  if redis_ready; then report redis up "$REDIS_HOST:$REDIS_PORT"; else report redis down "$REDIS_HOST:$REDIS_PORT"; all=1; fi
  if ! pid=$(service_pid kafka); then
    report kafka down "not running"; all=1
  elif [[ ! -f $KAFKA_DIR/admin.properties ]]; then
    report kafka down "pid $pid runs but $KAFKA_DIR is gone (run up to restart it)"; all=1
  elif kafka_list_topics; then
    report kafka up "$KAFKA_HOST:$KAFKA_PORT (pid $pid, $(wc -l <"$KAFKA_DIR/topics.txt") topics)"
  else
    report kafka down "pid $pid runs but $KAFKA_HOST:$KAFKA_PORT does not answer"; all=1
  fi
  if ! pid=$(service_pid s3proxy); then
    report s3proxy down "not running"; all=1
  elif http_answers "$S3_HOST" "$S3_PORT"; then
    report s3proxy up "http://$S3_HOST:$S3_PORT (pid $pid)"
  else
    report s3proxy down "pid $pid runs but http://$S3_HOST:$S3_PORT does not answer"; all=1
  fi
  return "$all"
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  restart) cmd_restart "${2:-}" ;;
  *) echo "usage: $0 up|down|status|restart kafka|s3proxy" >&2; exit 2 ;;
esac
