#!/bin/sh
# /etc/nginx/templates/X.template → /etc/nginx/conf.d/X with envsubst,
# replacing only the variables that are set (nginx's own $vars stay).
set -e
dir=/etc/nginx/templates
[ -d "$dir" ] || exit 0
defined=$(printf '${%s} ' $(env | cut -d= -f1))
for template in "$dir"/*.template; do
    [ -f "$template" ] || continue
    out="/etc/nginx/conf.d/$(basename "$template" .template)"
    envsubst "$defined" <"$template" >"$out"
done
