# Sourced by backup.sh and restore.sh: the Compose command as an array.
# Compose v2 (`docker compose`) when the plugin is there, else v1
# (`docker-compose`, what Debian ships); $COMPOSE replaces both (extra -f
# files, a project name).
if [[ -n "${COMPOSE:-}" ]]; then
  read -r -a compose <<<"$COMPOSE"
elif docker compose version >/dev/null 2>&1; then
  compose=(docker compose -f "$here/docker-compose.yml")
else
  compose=(docker-compose -f "$here/docker-compose.yml")
fi
