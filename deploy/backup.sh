#!/usr/bin/env bash
# Backs up the database (pg_dump, custom format) and, in Docker, the uploads.
#
#   DATABASE_URL=postgres://… deploy/backup.sh [dir]   # any reachable server
#   deploy/backup.sh [dir]                             # the compose `db` service
#
# Writes <dir>/nightcoder-<UTC time>.dump (default dir: ./backups), checks
# that pg_restore can read it, and keeps the newest $KEEP dumps (default 14).
# Prints the path of the new dump.
set -euo pipefail

dir=${1:-./backups}
keep=${KEEP:-14}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=deploy/compose.sh
source "$here/compose.sh"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
file="$dir/nightcoder-$stamp.dump"
mkdir -p "$dir"

# a half-written dump never carries the final name
trap 'rm -f "$file.partial"' EXIT
if [[ -n "${DATABASE_URL:-}" ]]; then
  pg_dump --format=custom --no-owner --no-privileges --file="$file.partial" "$DATABASE_URL"
  pg_restore --list "$file.partial" >/dev/null
else
  "${compose[@]}" exec -T db pg_dump -U nightcoder -d nightcoder \
    --format=custom --no-owner --no-privileges >"$file.partial"
  "${compose[@]}" exec -T db pg_restore --list <"$file.partial" >/dev/null
  # avatars live in the uploads volume
  "${compose[@]}" exec -T app tar -C /app/uploads -czf - . >"$dir/uploads-$stamp.tar.gz"
fi
mv "$file.partial" "$file"

# keep the newest $keep dumps (and their uploads archives)
ls -1t "$dir"/nightcoder-*.dump 2>/dev/null | tail -n +"$((keep + 1))" | while read -r old; do
  rm -f "$old" "$dir/uploads-$(basename "$old" .dump | sed 's/^nightcoder-//').tar.gz"
done
echo "$file"
