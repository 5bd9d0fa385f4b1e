#!/usr/bin/env bash
# Restores a dump made by backup.sh.
#
#   DATABASE_URL=postgres://… deploy/restore.sh [--replace] FILE.dump   # any server
#   deploy/restore.sh [--replace] FILE.dump                             # compose `db`;
#       the app is stopped during the restore and started again afterwards
#
# Without --replace the dump's tables replace their current contents.
# With --replace (a rollback to an older release) the whole schema is
# dropped first, so tables a newer release added go too and the database is
# exactly the dump. Either way it is one transaction: if anything fails, the
# database is left as it was.
set -euo pipefail

replace=""
if [[ "${1:-}" == "--replace" ]]; then
  replace=1
  shift
fi
file=${1:?usage: restore.sh [--replace] FILE.dump}
[[ -r "$file" ]] || { echo "cannot read $file" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=deploy/compose.sh
source "$here/compose.sh"
opts=(--clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error)

# --replace: the dump as SQL after a fresh schema, in one psql transaction
replace_sql() {
  echo "SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public;"
  cat
}

if [[ -n "${DATABASE_URL:-}" ]]; then
  if [[ -n "$replace" ]]; then
    pg_restore --no-owner --no-privileges --file=- "$file" | replace_sql \
      | psql --quiet --no-psqlrc -v ON_ERROR_STOP=1 --single-transaction "$DATABASE_URL" >/dev/null
  else
    pg_restore "${opts[@]}" --dbname="$DATABASE_URL" "$file"
  fi
else
  # the app is stopped while the data changes under it, and started again
  # only if it was running (a rollback starts the previous release itself)
  if [[ -n "$("${compose[@]}" ps -q app 2>/dev/null)" ]] \
    && "${compose[@]}" ps --services --filter status=running | grep -qx app; then
    "${compose[@]}" stop app
    trap '"${compose[@]}" start app' EXIT
  fi
  if [[ -n "$replace" ]]; then
    "${compose[@]}" exec -T db pg_restore --no-owner --no-privileges --file=- <"$file" \
      | replace_sql \
      | "${compose[@]}" exec -T db psql --quiet --no-psqlrc -v ON_ERROR_STOP=1 --single-transaction \
          -U nightcoder -d nightcoder >/dev/null
  else
    "${compose[@]}" exec -T db pg_restore -U nightcoder "${opts[@]}" --dbname=nightcoder <"$file"
  fi
  uploads="$(dirname "$file")/uploads-$(basename "$file" .dump | sed 's/^nightcoder-//').tar.gz"
  if [[ -r "$uploads" ]]; then
    "${compose[@]}" run --rm -T --no-deps --entrypoint tar app -C /app/uploads -xzf - <"$uploads"
  fi
fi
echo "restored $file"
