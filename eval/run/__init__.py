"""Batch runs: a run directory holds a manifest, an append-only results.jsonl and one trace per item.

Layout of a run directory RUN:
    RUN/manifest.json              the whole configuration, versions, git revision, prompt hashes, times
    RUN/results.jsonl              one ResultLine per finished attempt, appended and flushed as it completes
    RUN/traces/<mode>/<item>.json  the item's trace, written atomically
    RUN/work/                      tool images and other scratch files
"""
