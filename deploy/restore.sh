#!/usr/bin/env bash
# Restores a dump made by backup.sh, replacing what the database holds.
#
#   DATABASE_URL=postgres://… deploy/restore.sh FILE.dump   # any server
#   deploy/restore.sh FILE.dump                             # compose `db`;
#       the app is stopped during the restore and started again afterwards
#
# One transaction: if anything fails, the database is left as it was.
set -euo pipefail

file=${1:?usage: restore.sh FILE.dump}
[[ -r "$file" ]] || { echo "cannot read $file" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
compose=(docker compose -f "$here/docker-compose.yml")
opts=(--clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error)

if [[ -n "${DATABASE_URL:-}" ]]; then
  pg_restore "${opts[@]}" --dbname="$DATABASE_URL" "$file"
else
  "${compose[@]}" stop app
  trap '"${compose[@]}" start app' EXIT
  "${compose[@]}" exec -T db pg_restore -U nightcoder "${opts[@]}" --dbname=nightcoder <"$file"
  uploads="$(dirname "$file")/uploads-$(basename "$file" .dump | sed 's/^nightcoder-//').tar.gz"
  if [[ -r "$uploads" ]]; then
    "${compose[@]}" run --rm -T --no-deps --entrypoint tar app -C /app/uploads -xzf - <"$uploads"
  fi
fi
echo "restored $file"
