"""The Redis-free front half of ingestion: fetch → parse → canonical ids → extract.

Modules, in pipeline order: `fetch` (HTTP with caps), `parse` (feedparser on bytes),
`canonical` (canonical URLs, item ids), `extract` (article text from pages). `pipeline`
wires them to dedupe, classify, summarize and store.
"""
