"""Sentinel moves the master while the bot runs: the bot's client follows it, and the
outbox keeps delivering every message once. Each test has its own deployment."""

from __future__ import annotations

import asyncio

import pytest
import redis as sync_redis
from telegram.ext import Application

from bot import keys
from bot.outbox import OutgoingMessage
from bot.redis_client import MASTER_CHECK_SECONDS
from bot.services import Services
from tests.conftest import outbox_drained
from tests.fakes.telegram_server import BotApiStandIn
from tests.redis_topologies.servers import SERVICE, SentinelDeployment, wait_until

pytestmark = pytest.mark.parametrize("topology", ["own_sentinel"], indirect=True)


def messages(chat_id: int, tag: str, count: int = 3) -> list[OutgoingMessage]:
    return [
        OutgoingMessage(key=f"{tag}:{chat_id}:{i}", chat_id=chat_id, text=f"{tag} #{i}")
        for i in range(count)
    ]


async def delivered(bot_api: BotApiStandIn, chat_id: int, count: int) -> list[str]:
    await bot_api.wait_for(
        "sendMessage", count=count, predicate=lambda c: c.params["chat_id"] == chat_id
    )
    return [c.params["text"] for c in bot_api.sent_messages(chat_id)]


async def replicated(services: Services) -> None:
    """What the master acknowledged so far is on the replica (asynchronous replication
    otherwise loses the last writes in a failover, whatever the client does)."""
    assert await services.redis.execute_command("WAIT", 1, 5000) == 1


def on_new_master(topology: SentinelDeployment) -> sync_redis.Redis:
    _host, port = topology.master_address()
    assert port == topology.replica_port
    return sync_redis.Redis(port=port, socket_timeout=5, decode_responses=True)


async def fail_over(topology: SentinelDeployment) -> None:
    """SENTINEL FAILOVER, returning once the sentinel names the replica as master."""
    with topology.sentinel() as sentinel:
        assert sentinel.execute_command("SENTINEL", "FAILOVER", SERVICE)
    await asyncio.to_thread(
        wait_until,
        lambda: topology.master_address()[1] == topology.replica_port,
        15,
        "the sentinel naming the replica master",
    )


async def test_a_sentinel_failover_moves_the_bot_to_the_new_master(
    running_app: Application,
    bot_api: BotApiStandIn,
    services: Services,
    topology: SentinelDeployment,
) -> None:
    await services.outbox.enqueue(messages(901, "before"))
    await delivered(bot_api, 901, 3)
    assert await outbox_drained(services)
    await replicated(services)

    # The old master keeps running and accepting writes for seconds after the replica
    # was promoted: only following the sentinels' answer keeps writes off it.
    await fail_over(topology)
    # The client asks the sentinels where the master is at most this often.
    await asyncio.sleep(MASTER_CHECK_SECONDS)

    assert await services.outbox.enqueue(messages(901, "after")) == 3
    texts = await delivered(bot_api, 901, 6)
    assert texts == [f"{tag} #{i}" for tag in ("before", "after") for i in range(3)]
    assert await outbox_drained(services)
    with on_new_master(topology) as master:
        assert master.info("replication")["role"] == "master"
        assert master.exists(keys.outbox_sent("after:901:2")) == 1
        assert master.hget(keys.delivery_stats(services.clock().strftime("%Y-%m-%d")), "sent")


async def test_a_message_queued_as_soon_as_the_sentinel_names_the_new_master_lands_on_it(
    services: Services, topology: SentinelDeployment
) -> None:
    """For about 0.1 s after the sentinel starts naming the promoted replica, its SENTINEL
    MASTERS (what redis-py asks) still names the old master: a client asking then stayed
    on the old master until its next check, and lost what it wrote there."""
    assert await services.outbox.enqueue(messages(903, "before")) == 3
    await replicated(services)
    # No other client here: the client's next command asks the sentinels again.
    await asyncio.sleep(MASTER_CHECK_SECONDS)

    await fail_over(topology)
    assert await services.outbox.enqueue(messages(903, "after", count=1)) == 1

    with on_new_master(topology) as master:
        assert master.exists(keys.outbox_enqueued("after:903:0")) == 1
        assert master.xlen(keys.outbox()) == 4


async def test_when_the_master_dies_the_bot_carries_on_with_the_promoted_replica(
    running_app: Application,
    bot_api: BotApiStandIn,
    services: Services,
    topology: SentinelDeployment,
) -> None:
    await services.subscribers.subscribe(902, 902, "kk", "Asia/Almaty")
    await services.outbox.enqueue(messages(902, "before"))
    await delivered(bot_api, 902, 3)
    assert await outbox_drained(services)
    await replicated(services)

    topology.kill_master()
    # Sent at once: the client retries through the failover (the sentinel needs its
    # 1 s down-after time plus the promotion) instead of failing.
    assert await services.outbox.enqueue(messages(902, "after")) == 3
    texts = await delivered(bot_api, 902, 6)
    assert texts == [f"{tag} #{i}" for tag in ("before", "after") for i in range(3)]
    assert await outbox_drained(services)
    assert await services.subscribers.active_ids() == [902]
    with on_new_master(topology) as master:
        assert master.exists(keys.outbox_sent("after:902:2")) == 1
