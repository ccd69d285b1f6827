"""The row job's stages: rows read (sources), prompts rendered (render, images in prompts,
redact), the pre-flight plan (plan, steps, estimate), each row's chain of steps and its
judging (chain, validate), and the outputs written (sinks, workbook)."""
