#!/bin/sh
# Start Rasa as `python -m assistant run` does (rasa_addons: Rasa's CLI with our fixes), from
# the environment: RASA_TOKEN (required), the tracker store and lock store variables that
# endpoints.yml reads, and optionally MODEL_STORE_URL, the model store every replica pulls
# from (a gateway's /model-store/rasa; then a retrain reaches every replica within
# MODEL_PULL_SECONDS), as `python -m assistant rasa` does outside containers.
set -eu
: "${RASA_TOKEN:?RASA_TOKEN must be set (shared with the gateway)}"
endpoints=/tmp/endpoints.yml
cp /app/endpoints.yml "$endpoints"
if [ -n "${MODEL_STORE_URL:-}" ]; then
  printf '\nmodels:\n  url: ${MODEL_STORE_URL}\n  token: ${RASA_TOKEN}\n  wait_time_between_pulls: %s\n' \
    "${MODEL_PULL_SECONDS:-10}" >> "$endpoints"
fi
# --auth-token=VALUE as one argument: a random token may begin with '-'.
exec python -m rasa_addons run --enable-api "--auth-token=${RASA_TOKEN}" \
  -i 0.0.0.0 -p "${RASA_PORT:-5005}" -m /app/models \
  --credentials /app/credentials.yml --endpoints "$endpoints" "$@"
