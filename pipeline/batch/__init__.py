"""Batch mode's stages: the Batch API's JSONL (lines), one job's batches submitted and
collected (api), the provider that sets requests aside for the next batch (deferred), and what
a person watching sees (display). The batch jobs themselves are in jobs/batch.py."""
