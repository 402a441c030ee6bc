"""Crawl disclosure portals into a content-addressed raw store.

    registry.py   portals as data (sources.toml) → `Source`
    netpolicy.py  which URLs may be requested at all (allowed hosts, private addresses)
    fetcher.py    polite HTTP: robots.txt, rate limit, retries, conditional and checked downloads
    adapters/     how to find documents on a portal: html listing, json api → `Candidate`
    store.py      raw store (sha256) and manifest (sqlite): URLs, versions, HTTP metadata, events
    crawler.py    one source end to end: adapter → fetcher → store → `CrawlReport`

Nothing here imports `flows/`; the nightly flow wires it to extraction.
"""
