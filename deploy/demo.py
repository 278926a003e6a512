"""`make cluster-demo`: the production layout on one machine, with the demo content.

Run inside scripts/with_postgres.sh (it gives DATABASE_URL and removes the database
afterwards): migrates, loads the demo, collects the static files once into the shared
folder, then starts Redis, two gunicorn nodes, one db_worker and HAProxy, prints the
addresses, and stops everything on Ctrl+C (or SIGTERM).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from deploy import cluster as nodes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000, help="the balancer's port (8000)")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("DATABASE_URL must point at PostgreSQL: run it as `make cluster-demo`")
    folder = Path(tempfile.mkdtemp(prefix="concertem-cluster-"))
    cluster = nodes.Cluster(folder=folder, env=nodes.environment(folder, database_url))
    # SIGTERM (make interrupted, a supervisor) stops as cleanly as Ctrl+C.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        print("==> migrate, load_demo, collectstatic (shared folder)", flush=True)
        nodes.manage(cluster.env, "migrate", "--no-input", "-v", "0")
        nodes.manage(cluster.env, "load_demo")
        nodes.manage(cluster.env, "collectstatic", "--no-input", "-v", "0")
        print("==> Redis, two gunicorn nodes, a db_worker, HAProxy", flush=True)
        nodes.redis_start(cluster)
        nodes.nodes_start(cluster)
        nodes.worker_start(cluster)
        nodes.balancer_start_on(cluster, args.port)
        print(
            f"""
  Concertem, two nodes behind HAProxy:
    Site:            {cluster.balancer_url}/ca/
    Editors' admin:  {cluster.balancer_url}/admin/   editor / concertem-editor
    Node 1:          {cluster.node_urls[0]}/ca/
    Node 2:          {cluster.node_urls[1]}/ca/
    Redis:           {cluster.redis_url}
    PostgreSQL:      {database_url}
    Shared files:    {folder / "shared"}  (media, private files, built data)
    Logs:            {folder}/*.log
  Responses name the node that served them (X-Served-By); anonymous pages say
  X-Page-Cache: hit or miss. Press Ctrl+C to stop.
""",
            flush=True,
        )
        while all(process.poll() is None for process in cluster.processes):
            time.sleep(1)
        print("!! a process stopped; see the logs above", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        print("==> stopping the cluster", flush=True)
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
