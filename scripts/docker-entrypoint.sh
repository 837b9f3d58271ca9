#!/bin/sh
# The container's start (Dockerfile CMD). Without a replica: Streamlit, as before. With KREM_REPLICA set:
# restore the database from the replica if the volume has none (else create or migrate it), then run
# Litestream as the supervisor of the app: `litestream replicate -exec` replicates while Streamlit runs,
# stops when it stops, and syncs what it has on the way out. See docs/replication.md and docs/deploy.md.
set -eu
entry=app.py
[ -f serve.py ] && entry=serve.py
run="python -m streamlit run $entry --server.port 8501 --server.address 0.0.0.0 --server.headless true --browser.gatherUsageStats false"
if [ -z "${KREM_REPLICA:-}" ]; then
    exec $run
fi
conf=$(python -m krem_advocacy replica prepare)
# Litestream reads the bucket's keys from its own variables; the app then only watches and restores.
export LITESTREAM_ACCESS_KEY_ID="${KREM_REPLICA_ACCESS_KEY_ID:-}"
export LITESTREAM_SECRET_ACCESS_KEY="${KREM_REPLICA_SECRET_ACCESS_KEY:-}"
export KREM_REPLICATION_RUNNER=external
exec litestream replicate -config "$conf" -no-expand-env -exec "$run"
