"""A PostgreSQL server of a test module's own, for tests that restart it under the app.

Restarting the session's server (``pg_cluster``) would break every other open handle's
connections; a module that pulls the server away starts its own (about a second). Like
``pg_cluster``, it fails without PostgreSQL unless DRILLPLANNER_SKIP_POSTGRESQL=1.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from pg_cluster import SKIP_VARIABLE, PostgresCluster, PostgresUnavailable, find_bin_dir


@contextmanager
def own_cluster() -> Iterator[PostgresCluster]:
    if os.environ.get(SKIP_VARIABLE) == "1":
        pytest.skip(f"PostgreSQL variants skipped ({SKIP_VARIABLE}=1)")
    try:
        cluster = PostgresCluster(find_bin_dir())
        cluster.start()
    except PostgresUnavailable as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()


def crash_and_restart(cluster: PostgresCluster) -> None:
    """``pg_ctl restart -m immediate``: every backend killed at once, as in a crash.

    The cluster runs with synchronous_commit=off for speed, so the last commits could be
    lost in a crash: a checkpoint first keeps what the test wrote. The log file is named
    again, or the new server would hold pg_ctl's output pipe open.
    """
    cluster.admin("CHECKPOINT")
    cluster._run("pg_ctl", "-D", str(cluster.data), "-l", str(cluster.root / "server.log"),
                 "-m", "immediate", "-w", "restart")


def stop_server(cluster: PostgresCluster) -> None:
    """The server goes away (immediately, as in a crash) until ``start_server``."""
    cluster.admin("CHECKPOINT")
    cluster._run("pg_ctl", "-D", str(cluster.data), "-m", "immediate", "-w", "stop")


def start_server(cluster: PostgresCluster) -> None:
    """Start the stopped server again, on the same port and socket folder."""
    # The options the cluster started with (pg_ctl start, unlike restart, forgets them).
    options = (cluster.data / "postmaster.opts").read_text().split(None, 1)[1].strip()
    cluster._run("pg_ctl", "-D", str(cluster.data), "-l", str(cluster.root / "server.log"),
                 "-o", options, "-w", "start")
