"""The approval tier classifier of clause 三(三); ``app.tiers`` is its public face."""
