#!/bin/sh
# Runs every executable /docker-entrypoint.d/*.sh, then the command, as the
# official nginx image's entrypoint does.
set -e
if [ "$1" = "nginx" ]; then
    for script in /docker-entrypoint.d/*.sh; do
        [ -x "$script" ] && "$script"
    done
fi
exec "$@"
