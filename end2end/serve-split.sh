#!/usr/bin/env bash
# Starts one split deployment for the browser tests: the api role, then the web role, sharing a
# fresh data directory. Usage: serve-split.sh WEB_PORT API_PORT PAGES_ORIGIN API_ORIGIN
# (BMW_TLS_SELF_SIGNED, if set in the environment, turns on https for both.)
set -euo pipefail
web_port=$1 api_port=$2 pages=$3 api=$4
data=$(mktemp -d)
bin=target/debug/bmw
common=(--public-origin "$pages" --api-origin "$api" --data-dir "$data")
"$bin" migrate --data-dir "$data" >/dev/null
"$bin" --role api --site-addr "127.0.0.1:$api_port" "${common[@]}" &
api_pid=$!
trap 'kill $api_pid ${web_pid:-} 2>/dev/null; rm -rf "$data"' EXIT INT TERM
# The api role writes the shared development certificate before it listens: wait for it.
until (exec 3<>"/dev/tcp/127.0.0.1/$api_port") 2>/dev/null; do sleep 0.1; done
"$bin" --role web --site-addr "127.0.0.1:$web_port" "${common[@]}" &
web_pid=$!
wait "$web_pid"
