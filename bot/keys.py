"""Every Redis key name and TTL the bot uses. Nothing else builds key strings.

All keys start with `sayasat:` so the bot can share a Redis with other applications.

Redis Cluster runs a Lua script, a MULTI transaction or a multi-key command (ZINTERSTORE,
SUNION, ...) only when all its keys are in one hash slot. So every key family that such an
operation touches together shares one hash tag (`{subs}`, `{articles}`, `{stories}`,
`{feeds}`, `{outbox}`, `{alerts}`, `{search}`); keys only ever used one at a time (item
and digest claims, the leader lock, admins, audit, broadcasts) have none and spread over
the cluster. A new key that such an operation touches joins its family's tag.
"""

from __future__ import annotations

from datetime import timedelta

PREFIX = "sayasat"

# --- TTLs -----------------------------------------------------------------------------
SEEN_ITEM_TTL = timedelta(days=30)
ARTICLE_TTL = timedelta(days=90)
NON_POLITICS_ARTICLE_TTL = timedelta(days=7)


# --- subscribers ----------------------------------------------------------------------
# One tag for subscribers, channels and the digest schedule: the /stats and /broadcast
# scripts read the subscriber sets and every subscriber hash, and removing a channel
# changes the channel set, its hash and the due set in one transaction.
SUBS_TAG = f"{PREFIX}:{{subs}}"


def subscriber(user_id: int) -> str:
    """Hash: one subscriber's settings and state."""
    return f"{SUBS_TAG}:sub:{user_id}"


def subscriber_prefix() -> str:
    """`subscriber(id)` without the id: server-side scripts that walk the subscriber sets
    build each hash's name from it."""
    return f"{SUBS_TAG}:sub:"


def subscribers_active() -> str:
    """Set: ids of subscribers who receive digests."""
    return f"{SUBS_TAG}:active"


def subscribers_all() -> str:
    """Set: ids of every subscriber ever stored (active, paused or blocked)."""
    return f"{SUBS_TAG}:all"


# --- articles -------------------------------------------------------------------------
# An article's hash and the time indexes are written in one transaction.
ARTICLES_TAG = f"{PREFIX}:{{articles}}"


def seen_item(item_id: str) -> str:
    """String claimed with SET NX: the feed item was taken by a poller."""
    return f"{PREFIX}:seen:{item_id}"


def article(article_id: str) -> str:
    """Hash: one stored article."""
    return f"{ARTICLES_TAG}:article:{article_id}"


def articles_by_time() -> str:
    """Sorted set: article id scored by publication time (Unix seconds)."""
    return f"{ARTICLES_TAG}:by_time"


def politics_by_arrival() -> str:
    """Sorted set: politics article ids scored by when we stored them, so a digest holds
    what arrived since the last one even when a feed publishes late."""
    return f"{ARTICLES_TAG}:politics"


# --- stories (same event, several outlets) --------------------------------------------
STORY_WINDOW = timedelta(hours=36)
# Candidates are one SUNION over the article's band buckets.
STORIES_TAG = f"{PREFIX}:{{stories}}"


def story_band(band: str) -> str:
    """Set: ids of recent articles whose fingerprint falls in this LSH band bucket."""
    return f"{STORIES_TAG}:band:{band}"


def story_fingerprint(article_id: str) -> str:
    """Hash: a recent article's story fingerprint and story id (kept for the window)."""
    return f"{STORIES_TAG}:fp:{article_id}"


# --- search ---------------------------------------------------------------------------
# One hash tag for every search key: a query intersects posting lists, filters and the
# document set in one command, which a Redis Cluster allows only within one slot.
SEARCH_TAG = f"{PREFIX}:{{search}}"
SEARCH_QUERY_TTL = timedelta(days=2)


def search_postings(term: str) -> str:
    """Sorted set: article id scored by this term's BM25 weight in the article. With the
    empty term: the prefix the indexing script (bot/search.py) appends each term to."""
    return f"{SEARCH_TAG}:term:{term}"


def search_doc_terms(article_id: str) -> str:
    """String: the distinct index terms of one indexed article, space-separated."""
    return f"{SEARCH_TAG}:doc:{article_id}"


def search_docs() -> str:
    """Sorted set: every indexed article id scored by publication time (Unix seconds)."""
    return f"{SEARCH_TAG}:docs"


def search_expiry() -> str:
    """Sorted set: indexed article id scored by when retention removes it (Unix seconds)."""
    return f"{SEARCH_TAG}:expiry"


def search_source(source: str) -> str:
    """Sorted set (scores 0): ids of indexed articles from one source, for `source:`."""
    return f"{SEARCH_TAG}:source:{source}"


def search_language(language: str) -> str:
    """Sorted set (scores 0): ids of indexed articles in one language, for `lang:`."""
    return f"{SEARCH_TAG}:lang:{language}"


def search_sources() -> str:
    """Set: every source name that has indexed articles (to resolve `source:` prefixes)."""
    return f"{SEARCH_TAG}:sources"


def search_dictionary() -> str:
    """Sorted set (scores 0, read by lex range): every indexed term, for suggestions."""
    return f"{SEARCH_TAG}:dict"


def search_forms() -> str:
    """Hash: index term → a word form seen in a title or lead, shown in suggestions."""
    return f"{SEARCH_TAG}:forms"


def search_stats() -> str:
    """Hash: `docs` and `length` (sum of document lengths) for BM25's average length."""
    return f"{SEARCH_TAG}:stats"


def search_temp(token: str) -> str:
    """Sorted set living for one query: an intermediate result."""
    return f"{SEARCH_TAG}:tmp:{token}"


def search_query(query_id: str) -> str:
    """String: the query text behind a results message's ◀ ▶ buttons."""
    return f"{SEARCH_TAG}:query:{query_id}"


# --- feeds ----------------------------------------------------------------------------
# A feed's hash, the feed set, the schedule and the seeded mark change in one transaction.
FEEDS_TAG = f"{PREFIX}:{{feeds}}"


def feed(feed_id: str) -> str:
    """Hash: one feed's configuration, HTTP validators and health."""
    return f"{FEEDS_TAG}:feed:{feed_id}"


def feeds_all() -> str:
    """Set: every feed id."""
    return f"{FEEDS_TAG}:all"


def feeds_due() -> str:
    """Sorted set: feed id scored by the next time it should be polled (Unix seconds)."""
    return f"{FEEDS_TAG}:due"


def last_poll() -> str:
    """String: when any instance last completed a poll cycle (Unix seconds), for /healthz.
    No TTL: a stale value is what /healthz must see."""
    return f"{PREFIX}:poll:last_done"


# --- delivery -------------------------------------------------------------------------
OUTBOX_GROUP = "senders"
OUTBOX_KEY_TTL = timedelta(days=7)
# Enqueueing (a script) and recording sends (a transaction) touch the stream, the
# per-message marks and the day's counters together.
OUTBOX_TAG = f"{PREFIX}:{{outbox}}"


def outbox() -> str:
    """Stream: every message waiting to be sent, read by the `senders` consumer group."""
    return f"{OUTBOX_TAG}:stream"


def outbox_enqueued(idempotency_key: str) -> str:
    """String: the message with this key was put in the outbox (enqueue is idempotent)."""
    return f"{OUTBOX_TAG}:queued:{idempotency_key}"


def outbox_sent(idempotency_key: str) -> str:
    """String: Telegram accepted the message with this key (value: its message id)."""
    return f"{OUTBOX_TAG}:sent:{idempotency_key}"


def outbox_dead() -> str:
    """List: messages Telegram refused for good, with the reason (for admins)."""
    return f"{OUTBOX_TAG}:dead"


def delivery_stats(day: str) -> str:
    """Hash: counters of send outcomes for one UTC day (YYYY-MM-DD)."""
    return f"{OUTBOX_TAG}:stats:{day}"


# --- digests --------------------------------------------------------------------------
def digests_due() -> str:
    """Sorted set: subscriber id scored by the UTC time their next digest is due."""
    return f"{SUBS_TAG}:digest_due"


# Long enough for one digest to be built and queued; an instance that dies holding the
# claim delays that digest this long, then another instance sends it.
DIGEST_CLAIM_TTL = timedelta(minutes=10)


def digest_claim(chat_id: int, due: int) -> str:
    """String claimed with SET NX: one instance is sending the digest due at `due`
    (Unix seconds) to this chat."""
    return f"{PREFIX}:digest:claim:{chat_id}:{due}"


# --- several instances ----------------------------------------------------------------
LEADER_TTL = timedelta(seconds=30)  # the default; the LEADER_TTL setting overrides it


def leader_lock() -> str:
    """String living the leader TTL, renewed by its holder: the instance that runs the
    poll cycle (value: its instance name, `#`, a per-process token)."""
    return f"{PREFIX}:leader"


# --- keyword alerts -------------------------------------------------------------------
MAX_ALERTS_PER_CHAT = 20
# A chat's keywords and the term → chats sets change in one transaction.
ALERTS_TAG = f"{PREFIX}:{{alerts}}"


def alerts(chat_id: int) -> str:
    """Hash: a chat's alert keywords, as typed → their index terms (space-separated)."""
    return f"{ALERTS_TAG}:chat:{chat_id}"


def alert_term(term: str) -> str:
    """Set: chat ids with an alert keyword containing this index term."""
    return f"{ALERTS_TAG}:term:{term}"


# --- admins, audit, channels, broadcasts ----------------------------------------------
AUDIT_MAX_ENTRIES = 10_000
BROADCAST_TTL = timedelta(hours=1)


def admins() -> str:
    """Set: user ids of the admins added in chat (owners come from ADMIN_IDS, not here)."""
    return f"{PREFIX}:admins"


def audit_log() -> str:
    """Stream, capped at AUDIT_MAX_ENTRIES: every admin action (who, what, when)."""
    return f"{PREFIX}:audit"


def feeds_seeded() -> str:
    """String: the feed store was seeded or edited once, so config/feeds.yaml never
    refills it (not even after an admin removed every feed)."""
    return f"{FEEDS_TAG}:seeded"


def channels() -> str:
    """Set: chat ids of the channels and groups admins connected (their digest settings
    are ordinary subscriber hashes under the same chat id)."""
    return f"{SUBS_TAG}:channels"


def channel(chat_id: int) -> str:
    """Hash: a connected channel's title, @username, type and who connected it when."""
    return f"{SUBS_TAG}:channel:{chat_id}"


def broadcast(broadcast_id: str) -> str:
    """Hash: a broadcast waiting for its author's confirmation (lives BROADCAST_TTL)."""
    return f"{PREFIX}:broadcast:{broadcast_id}"


# --- webhook ---------------------------------------------------------------------------
# Telegram retries an update until it sees a 200, for up to a day.
WEBHOOK_UPDATE_TTL = timedelta(days=1)


def webhook_update(update_id: int) -> str:
    """String: set when an instance took this update from the webhook (handled once)."""
    return f"{PREFIX}:webhook:update:{update_id}"
