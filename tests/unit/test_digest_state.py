"""Recording that a digest went out must not undo what the user did meanwhile."""

from __future__ import annotations

from bot.services import Services


async def test_a_settings_change_during_a_digest_survives_it(services: Services) -> None:
    await services.subscribers.subscribe(901, 901, "kk", "Asia/Almaty")
    stale_copy = await services.subscribers.get(901)
    assert stale_copy is not None
    await services.subscribers.set_language(901, 901, "ru")  # while the digest is built

    await services.digests.send_digest(stale_copy, digest_id="d1")

    stored = await services.subscribers.get(901)
    assert stored is not None
    assert stored.language == "ru"
    assert stored.last_digest_at == services.clock()


async def test_a_forgotten_chat_is_not_brought_back_by_its_last_digest(
    services: Services,
) -> None:
    sub, _ = await services.subscribers.subscribe(902, 902, "kk", "Asia/Almaty")
    await services.forget_chat(902)  # /forget confirmed while the digest was built

    await services.digests.send_digest(sub, digest_id="d1")

    assert await services.subscribers.get(902) is None
