"""Re-checking the archive with today's rules (``precheck rescan``, clause 五(一)1).

``source`` reads stored checks a page at a time, ``spec`` packs the rules so any worker can rebuild
them, ``worker`` re-checks a page, ``compare`` decides what got worse, ``engines`` runs pages in a
local process pool or on a Dask cluster, ``runner`` ties them together with a resumable cursor, and
``output`` renders the result as a table, JSON or CSV.
"""
