"""Sayasat Digest: the application (pipeline, storage, delivery)."""

import os

# PTB 22 reports RetryAfter.retry_after as a timedelta when this is set and warns
# otherwise; the delivery code reads either form.
os.environ.setdefault("PTB_TIMEDELTA", "1")
