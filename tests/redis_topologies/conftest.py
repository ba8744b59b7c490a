"""The bot's `redis` and `settings` fixtures over three real deployments: a three-master
Cluster, Sentinel (master + replica + sentinel) and a unix-socket server. Every test here
that uses them runs once per deployment; the deployments start once per session, on
first use, and are stopped at the end even when a start or a test failed."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from bot.redis_client import RedisClient, connect
from config.settings import Settings
from tests.redis_topologies.servers import (
    ClusterDeployment,
    Deployment,
    SentinelDeployment,
    UnixDeployment,
)

TOPOLOGIES = ("cluster", "sentinel", "unix")
D = TypeVar("D", bound=Deployment)


def _run(deployment_class: type[D]) -> Iterator[D]:
    # Under /tmp, short: a unix socket's path must fit in 107 bytes.
    directory = Path(tempfile.mkdtemp(prefix="sayasat-rt-", dir="/tmp"))
    deployment = deployment_class(directory)
    try:
        deployment.start()
        yield deployment
    finally:
        deployment.close()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def cluster_deployment() -> Iterator[ClusterDeployment]:
    yield from _run(ClusterDeployment)


@pytest.fixture(scope="session")
def sentinel_deployment() -> Iterator[SentinelDeployment]:
    yield from _run(SentinelDeployment)


@pytest.fixture(scope="session")
def unix_deployment() -> Iterator[UnixDeployment]:
    yield from _run(UnixDeployment)


@pytest.fixture
def own_sentinel() -> Iterator[SentinelDeployment]:
    """A Sentinel deployment for one test alone (failover tests change who is master)."""
    yield from _run(SentinelDeployment)


@pytest.fixture(params=TOPOLOGIES)
def topology(request: pytest.FixtureRequest) -> Deployment:
    name = "own_sentinel" if request.param == "own_sentinel" else f"{request.param}_deployment"
    deployment = request.getfixturevalue(name)
    assert isinstance(deployment, Deployment)
    return deployment


@pytest.fixture
async def redis(topology: Deployment) -> AsyncIterator[RedisClient]:
    """The client `python -m bot` builds from REDIS_URL, on an empty database."""
    client = connect(topology.url)
    await client.flushdb()  # on a Cluster: on every master
    yield client
    await client.aclose()


@pytest.fixture
def settings(settings: Settings, topology: Deployment) -> Settings:
    return settings.model_copy(update={"redis_url": topology.url})
