"""Reading many inputs on a Ray cluster, when one machine is not enough.

Each input is one Ray task running the same worker function as the local process pool; Ray reuses
its worker processes, so the spaCy model is loaded once per worker. At most ``2 x parallelism``
tasks are in flight, so a folder of a million files never sits in memory at once.
"""
from __future__ import annotations

import os
from typing import Iterable, Iterator

# reading switches set on the driver travel with each task (a cluster's workers have their own environment)
SWITCHES = ("REPORTEDLY_SECOND_READING", "REPORTEDLY_NO_TAGGER", "REPORTEDLY_TORCH_PRECISION", "REPORTEDLY_TORCH_EAGER",
            "REPORTEDLY_READER_INT8")


def run_on_ray(specs: Iterable[str], args: tuple, address: str | None = None, parallelism: int | None = None) -> Iterator[dict]:
    try:
        import ray
    except ImportError:
        raise RuntimeError("the ray engine needs Ray: `pip install 'reportedly[ray]'`") from None
    from .api import _work

    started_here = not ray.is_initialized()
    if started_here:
        # address None: a local Ray on this machine; "auto" or "ray://host:port": an existing cluster
        ray.init(address=address, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    try:
        remote_work = ray.remote(_work)
        env = {k: os.environ[k] for k in SWITCHES if k in os.environ}
        if env:
            remote_work = remote_work.options(runtime_env={"env_vars": env})
        limit = 2 * (parallelism or int(ray.available_resources().get("CPU", 1)) or 1)
        pending = []
        for spec in specs:
            pending.append(remote_work.remote((spec, *args)))
            if len(pending) >= limit:
                done, pending = ray.wait(pending, num_returns=1)
                yield from ray.get(done)
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            yield from ray.get(done)
    finally:
        if started_here:
            ray.shutdown()
