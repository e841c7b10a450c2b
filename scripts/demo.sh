#!/usr/bin/env bash
# One command from a fresh clone to a running Throughline with demo data:
#   bash scripts/demo.sh        (or: npm run demo)
# Needs Node 20, a local PostgreSQL and Redis. Starts a local mail sink with a web inbox when
# nothing listens on the SMTP port, and stops it again when the app stops.
set -euo pipefail

cd "$(dirname "$0")/.."

DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/throughline}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
SMTP_URL=${SMTP_URL:-smtp://127.0.0.1:1025}
PORT=${PORT:-3000}
PUBLIC_URL=${PUBLIC_URL:-http://localhost:$PORT}
# The demo's passwords are printed in the README: serve them to this machine only, unless HOST says otherwise.
HOST=${HOST:-127.0.0.1}
MAIL_INBOX_PORT=${MAIL_SINK_HTTP_PORT:-8025}
# Start-up logs one JSON line per route; keep the terminal for the addresses and for problems.
LOG_LEVEL=${LOG_LEVEL:-warn}
# The demo program is in Duluth: Minnesota's court holidays join the federal ones.
PROGRAM_STATE=${PROGRAM_STATE:-MN}
export DATABASE_URL REDIS_URL SMTP_URL PORT PUBLIC_URL HOST LOG_LEVEL PROGRAM_STATE

step() { printf '\n==> %s\n' "$*"; }

# url_part <url> <hostname|port|database>: the piece of a URL, with the scheme's default port.
url_part() {
  node -e '
    const url = new URL(process.argv[1]);
    const defaults = { "postgres:": "5432", "postgresql:": "5432", "redis:": "6379", "rediss:": "6379", "smtp:": "25", "smtps:": "465" };
    const part = process.argv[2];
    if (part === "hostname") console.log(url.hostname.replace(/^\[|\]$/g, ""));
    else if (part === "port") console.log(url.port || defaults[url.protocol] || "");
    else if (part === "database") console.log(decodeURIComponent(url.pathname.slice(1)));
  ' "$1" "$2"
}

# tcp_open <host> <port>: true when something accepts connections there.
tcp_open() {
  node -e '
    const socket = require("net").connect({ host: process.argv[1], port: Number(process.argv[2]) });
    socket.setTimeout(1500, () => process.exit(1));
    socket.on("connect", () => process.exit(0));
    socket.on("error", () => process.exit(1));
  ' "$1" "$2"
}

if [ ! -d node_modules ]; then
  step "Installing dependencies (npm ci)"
  npm ci
fi

PG_HOST=$(url_part "$DATABASE_URL" hostname)
PG_PORT=$(url_part "$DATABASE_URL" port)
REDIS_HOST=$(url_part "$REDIS_URL" hostname)
REDIS_PORT=$(url_part "$REDIS_URL" port)
SMTP_HOST=$(url_part "$SMTP_URL" hostname)
SMTP_PORT=$(url_part "$SMTP_URL" port)

# `docker compose` interpolates the whole file, so it wants JWT_SECRET even for these two services.
COMPOSE_HINT="(or: JWT_SECRET=any FIELD_ENCRYPTION_KEY=any docker compose up -d postgres redis)"
if [ -d /etc/postgresql ]; then
  PG_START="pg_ctlcluster $(ls /etc/postgresql | sort -V | tail -n 1) main start"
else
  PG_START="your PostgreSQL service (e.g. sudo systemctl start postgresql)"
fi

if ! tcp_open "$PG_HOST" "$PG_PORT"; then
  echo "PostgreSQL is not reachable at $PG_HOST:$PG_PORT — start it with: $PG_START $COMPOSE_HINT" >&2
  exit 1
fi
if ! tcp_open "$REDIS_HOST" "$REDIS_PORT"; then
  echo "Redis is not reachable at $REDIS_HOST:$REDIS_PORT — start it with: redis-server --daemonize yes $COMPOSE_HINT" >&2
  exit 1
fi
if tcp_open 127.0.0.1 "$PORT"; then
  echo "Port $PORT is already in use — stop whatever listens there, or run: PORT=3001 bash scripts/demo.sh" >&2
  exit 1
fi
step "PostgreSQL ($PG_HOST:$PG_PORT) and Redis ($REDIS_HOST:$REDIS_PORT) are reachable"

step "Creating database $(url_part "$DATABASE_URL" database) if it is missing"
node -e '
  const { Client } = require("pg");
  const target = new URL(process.argv[1]);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) { console.error(`Refusing odd database name "${name}"`); process.exit(1); }
  const server = new URL(target.href);
  server.pathname = "/postgres";
  const client = new Client({ connectionString: server.href });
  (async () => {
    await client.connect();
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount) console.log(`database ${name} exists`);
    else { await client.query(`CREATE DATABASE "${name}"`); console.log(`created database ${name}`); }
    await client.end();
  })().catch((error) => { console.error(`Could not create the database: ${error.message}`); process.exit(1); });
' "$DATABASE_URL"

step "Building (npm run build)"
rm -rf dist # no stale migrations or seeds from an earlier build
npm run build

step "Running migrations"
# The TypeORM CLI echoes every SQL statement: keep that in a file, show the outcome.
mkdir -p var
if ! node node_modules/typeorm/cli.js migration:run -d dist/src/database/data-source.js > var/migrations.log 2>&1; then
  tail -n 30 var/migrations.log >&2
  echo "Migrations failed; the full log is in var/migrations.log" >&2
  exit 1
fi
grep -E '^(Migration .* has been executed|No migrations are pending|[0-9]+ migrations? (are|were|is) )' var/migrations.log || true

step "Seeding demo data"
if [ -f dist/src/database/seeds/run-seed.js ]; then
  node dist/src/database/seeds/run-seed.js
else
  echo "skipped: dist/src/database/seeds/run-seed.js does not exist yet"
fi

SINK_PID=""
cleanup() {
  if [ -n "$SINK_PID" ] && kill -0 "$SINK_PID" 2>/dev/null; then
    kill "$SINK_PID" 2>/dev/null || true
    wait "$SINK_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT

step "Mail on $SMTP_HOST:$SMTP_PORT"
MAIL_INBOX="http://127.0.0.1:$MAIL_INBOX_PORT"
if tcp_open "$SMTP_HOST" "$SMTP_PORT"; then
  echo "an SMTP server already listens there; using it (its inbox, if it has one: $MAIL_INBOX)"
elif [ "$SMTP_HOST" = 127.0.0.1 ] || [ "$SMTP_HOST" = localhost ]; then
  MAIL_SINK_SMTP_PORT=$SMTP_PORT MAIL_SINK_HTTP_PORT=$MAIL_INBOX_PORT node scripts/mail-sink.js &
  SINK_PID=$!
  for _ in $(seq 1 50); do
    if tcp_open 127.0.0.1 "$SMTP_PORT"; then break; fi
    if ! kill -0 "$SINK_PID" 2>/dev/null; then
      echo "The mail sink did not start (is port $MAIL_INBOX_PORT in use?)" >&2
      exit 1
    fi
    sleep 0.1
  done
else
  echo "SMTP_URL points at $SMTP_HOST:$SMTP_PORT, which does not answer; notices will wait and retry" >&2
fi

cat <<EOF

  Throughline is starting:
    App:        $PUBLIC_URL/
    API docs:   $PUBLIC_URL/docs
    Health:     $PUBLIC_URL/health/ready
    Mail inbox: $MAIL_INBOX   (every notice the app sends lands here)
  Stop with Ctrl-C.

EOF

DEMO_BANNER=1 node dist/src/main.js
