#!/usr/bin/env bash
# Local single-node Kafka (KRaft, broker and controller in one JVM) for the tests.
#
#   scripts/kafka.sh start [key=value ...]   start (or reuse) the broker, print its address
#   scripts/kafka.sh stop                    stop it: SIGTERM, then SIGKILL after KAFKA_STOP_TIMEOUT s
#   scripts/kafka.sh restart [key=value ...] stop, then start with fresh storage (or KAFKA_KEEP_DATA=1)
#   scripts/kafka.sh status                  exit 0 and print the address when it runs
#   scripts/kafka.sh address                 print the bootstrap address (host:port)
#   scripts/kafka.sh stop-all                stop the brokers of every port started from this cache
#   scripts/kafka.sh fetch                   only fetch the jars with Maven, print their folder
#
# Environment:
#   KAFKA_BROKERS            when set, an external broker is used: every command only
#                            prints it and starts or stops nothing
#   KAFKA_PORT               client port (default 19092)
#   KAFKA_CONTROLLER_PORT    controller port (default KAFKA_PORT + 1)
#   KAFKA_VERSION            org.apache.kafka:kafka_2.13 version (default: the one in test/kafka/pom.xml)
#   KAFKA_STREAMER_CACHE     cache for jars and broker state (default ~/.cache/kafka-streamer)
#   KAFKA_JAVA               java binary (default $JAVA_HOME/bin/java, then java on PATH)
#   KAFKA_HEAP               JVM heap flags (default "-Xms256m -Xmx1g")
#   KAFKA_JVM_OPTS           other JVM flags (default "-XX:+UseSerialGC -XX:TieredStopAtLevel=1":
#                            on a small, busy machine the broker then starts on less CPU)
#   KAFKA_START_TIMEOUT      seconds to wait for metadata (default 90)
#   KAFKA_STOP_TIMEOUT       seconds to wait after SIGTERM (default 30)
#   KAFKA_AUTO_CREATE_TOPICS auto.create.topics.enable (default true)
#   KAFKA_MESSAGE_MAX_BYTES  message.max.bytes (default 1048588, Kafka's own)
#   KAFKA_CONNECTIONS_MAX_IDLE_MS connections.max.idle.ms (default 600000, Kafka's own)
#   KAFKA_KEEP_DATA=1        start on the storage of the last run on this port (topics and
#                            offsets survive a stop); otherwise each start formats it anew
#   KAFKA_CFG_<NAME>         any other broker setting: KAFKA_CFG_LOG_RETENTION_MS=1000
#                            sets log.retention.ms=1000
# key=value arguments to start are broker settings too and win over the environment.
# Each port has its own state directory, so brokers on different ports can run side by side.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
POM="$ROOT/test/kafka/pom.xml"
CACHE="${KAFKA_STREAMER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kafka-streamer}"
PORT="${KAFKA_PORT:-19092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
ADDRESS="127.0.0.1:$PORT"
STATE="$CACHE/broker-$PORT"
PID_FILE="$STATE/kafka.pid"
LOG_FILE="$STATE/kafka.log"

log() { echo "kafka.sh: $*" >&2; }
die() { log "$*"; exit 1; }

pom_version() {
  sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -n1
}

VERSION="${KAFKA_VERSION:-$(pom_version)}"
JARS="$CACHE/kafka-$VERSION/jars"

java_bin() {
  if [[ -n "${KAFKA_JAVA:-}" ]]; then echo "$KAFKA_JAVA"
  elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then echo "$JAVA_HOME/bin/java"
  else command -v java || die "java not found: install a JDK 17 or newer, or set KAFKA_JAVA"
  fi
}

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  # A stale pid file can point at a reused pid: make sure it is our broker.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$STATE/server.properties" || return 1
  echo "$pid"
}

fetch_jars() {
  if [[ -f "$JARS/.complete" ]]; then return 0; fi
  command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch the Kafka $VERSION jars, or set KAFKA_BROKERS"
  log "fetching Kafka $VERSION jars with Maven into $JARS"
  rm -rf "$JARS"
  mkdir -p "$JARS"
  local mvn_log="$CACHE/kafka-$VERSION/maven.log"
  mvn -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
    -Dkafka.version="$VERSION" -DincludeScope=runtime -DoutputDirectory="$JARS" >"$mvn_log" 2>&1 \
    || { tail -n 30 "$mvn_log" >&2; die "Maven could not resolve org.apache.kafka:kafka_2.13:$VERSION (log: $mvn_log)"; }
  touch "$JARS/.complete"
}

# Kafka's cluster id: 16 random bytes, URL-safe base64 without padding.
cluster_id() {
  local id
  while :; do
    id="$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    [[ "$id" != -* ]] && echo "$id" && return
  done
}

# Broker settings from KAFKA_CFG_<NAME> variables, one key=value a line.
cfg_from_env() {
  local name key
  while IFS= read -r name; do
    key="$(echo "${name#KAFKA_CFG_}" | tr '[:upper:]_' '[:lower:].')"
    echo "$key=${!name}"
  done < <(compgen -e | grep '^KAFKA_CFG_' || true)
}

write_config() {
  local file="$STATE/server.properties"
  cat >"$file" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$STATE/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=${KAFKA_AUTO_CREATE_TOPICS:-true}
message.max.bytes=${KAFKA_MESSAGE_MAX_BYTES:-1048588}
connections.max.idle.ms=${KAFKA_CONNECTIONS_MAX_IDLE_MS:-600000}
delete.topic.enable=true
log.flush.interval.messages=9223372036854775807
EOF
  # Later lines win in a Java properties file: environment first, then arguments.
  cfg_from_env >>"$file"
  local arg
  for arg in "$@"; do
    [[ "$arg" == *=* ]] || die "broker setting '$arg' is not key=value (example: message.max.bytes=2000000)"
    echo "$arg" >>"$file"
  done
}

write_log_config() {
  cat >"$STATE/log4j2.properties" <<'EOF'
rootLogger.level=INFO
rootLogger.appenderRef.out.ref=OUT
appender.out.type=Console
appender.out.name=OUT
appender.out.layout.type=PatternLayout
appender.out.layout.pattern=[%d] %p %m (%c)%n
logger.log.name=kafka.log
logger.log.level=WARN
logger.storage.name=org.apache.kafka.storage
logger.storage.level=WARN
logger.state.name=state.change.logger
logger.state.level=WARN
logger.coordinator.name=org.apache.kafka.coordinator
logger.coordinator.level=WARN
logger.config.name=org.apache.kafka.common.config
logger.config.level=WARN
logger.kconfig.name=kafka.server.KafkaConfig
logger.kconfig.level=WARN
EOF
}

# The JVM command line, with the class to run and its arguments appended.
java_cmd() {
  # shellcheck disable=SC2206 # KAFKA_HEAP is a list of flags
  local heap=(${KAFKA_HEAP:--Xms256m -Xmx1g})
  # shellcheck disable=SC2206 # KAFKA_JVM_OPTS is a list of flags
  local opts=(${KAFKA_JVM_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1})
  JAVA_CMD=("$(java_bin)" "${heap[@]}" "${opts[@]}" -Djava.awt.headless=true
    -Dlog4j2.configurationFile="$STATE/log4j2.properties" -cp "$JARS/*" "$@")
}

port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The kernel hands out ports of this range to outgoing connections, and a listener cannot
# bind a port that a connection uses at that moment.
warn_if_ephemeral() {
  local low high
  read -r low high </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || return 0
  if (($1 >= low && $1 <= high)); then
    log "warning: port $1 is in the ephemeral range $low-$high, so starting can fail with 'Address already in use'; prefer a port below $low"
  fi
}

wait_ready() {
  local pid="$1"
  node "$ROOT/scripts/kafka-wait.mjs" "$ADDRESS" "${KAFKA_START_TIMEOUT:-90}" "$pid" || {
    log "broker did not come up; last lines of $LOG_FILE:"
    tail -n 40 "$LOG_FILE" >&2 || true
    stop_broker
    exit 1
  }
}

format_storage() {
  java_cmd kafka.tools.StorageTool format --cluster-id "$(cluster_id)" \
    --config "$STATE/server.properties" --ignore-formatted
  "${JAVA_CMD[@]}" >"$STATE/format.log" 2>&1 \
    || { cat "$STATE/format.log" >&2; die "formatting KRaft storage failed"; }
}

start_broker() {
  local pid
  if pid="$(running_pid)"; then
    log "reusing the broker already running at $ADDRESS (pid $pid); 'restart' applies new settings"
    echo "$ADDRESS"
    return 0
  fi
  local p
  for p in "$PORT" "$CONTROLLER_PORT"; do
    if port_busy "$p"; then die "port $p on 127.0.0.1 is taken by another process: set KAFKA_PORT"; fi
    warn_if_ephemeral "$p"
  done

  fetch_jars
  if [[ "${KAFKA_KEEP_DATA:-}" == 1 && -f "$STATE/data/meta.properties" ]]; then
    log "keeping the topics and offsets in $STATE/data"
    write_config "$@"
  else
    rm -rf "$STATE"
    mkdir -p "$STATE/data"
    write_config "$@"
    write_log_config
    format_storage
  fi

  log "starting Kafka $VERSION at $ADDRESS (controller 127.0.0.1:$CONTROLLER_PORT), log $LOG_FILE"
  java_cmd kafka.Kafka "$STATE/server.properties"
  # Its own session, so a Ctrl-C in the shell or test run that started it does not reach it.
  setsid nohup bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$PID_FILE" "${JAVA_CMD[@]}" \
    </dev/null >>"$LOG_FILE" 2>&1 9>&- &
  local tries=0
  until [[ -s "$PID_FILE" ]]; do
    ((tries++ < 100)) || die "the broker process did not start; see $LOG_FILE"
    sleep 0.05
  done

  wait_ready "$(cat "$PID_FILE")"
  log "ready at $ADDRESS"
  echo "$ADDRESS"
}

stop_broker() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    log "no broker running at $ADDRESS"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local limit=$(( ${KAFKA_STOP_TIMEOUT:-30} * 10 )) i=0
  while kill -0 "$pid" 2>/dev/null && ((i++ < limit)); do sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    log "broker $pid ignored SIGTERM for ${KAFKA_STOP_TIMEOUT:-30}s: sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$PID_FILE"
  log "stopped the broker at $ADDRESS"
}

stop_all() {
  local dir
  for dir in "$CACHE"/broker-*/; do
    [[ -f "$dir/kafka.pid" ]] || continue
    local port="${dir%/}"
    KAFKA_PORT="${port##*broker-}" bash "${BASH_SOURCE[0]}" stop
  done
}

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift

  if [[ -n "${KAFKA_BROKERS:-}" ]]; then
    case "$cmd" in
      start|restart|status|address|fetch) echo "$KAFKA_BROKERS" ;;
      stop|stop-all) log "KAFKA_BROKERS is set: not stopping the external broker" ;;
      *) die "usage: kafka.sh start|stop|stop-all|restart|status|address|fetch" ;;
    esac
    return 0
  fi

  if [[ "$cmd" == stop-all ]]; then stop_all; return 0; fi

  mkdir -p "$CACHE"
  # One command at a time per port: two test runs starting together share one broker.
  exec 9>"$CACHE/broker-$PORT.lock"
  flock 9

  case "$cmd" in
    start) start_broker "$@" ;;
    stop) stop_broker ;;
    restart) stop_broker; start_broker "$@" ;;
    status)
      if pid="$(running_pid)"; then echo "$ADDRESS"; log "running (pid $pid, Kafka $VERSION)"
      else log "not running at $ADDRESS"; return 1; fi ;;
    address) echo "$ADDRESS" ;;
    fetch) fetch_jars; echo "$JARS" ;;
    *) die "usage: kafka.sh start|stop|stop-all|restart|status|address|fetch" ;;
  esac
}

main "$@"
