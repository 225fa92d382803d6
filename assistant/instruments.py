"""The process's Prometheus instruments, in prometheus_client's default registry (which also
carries the process collector: CPU, memory, open files, start time).

Module-level on purpose: an instrument counts for the whole process, however many apps a test
builds, and `/metrics` (`assistant.gateway.metrics`) renders them all. Counters are per
process; Prometheus sums replicas (`sum by (job) (...)`).
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

HTTP_REQUESTS = Histogram(
    "http_request_duration_seconds", "Gateway HTTP requests by route, method and status.",
    ["route", "method", "status"], buckets=LATENCY_BUCKETS)
ACTIONS = Histogram(
    "action_duration_seconds", "Custom actions run by the action server, by action.",
    ["action", "outcome"], buckets=LATENCY_BUCKETS)
JOB_RUNS = Counter(
    "job_runs_total", "Periodic job runs this process claimed and ran, by outcome.",
    ["job", "outcome"])
JOB_SKIPS = Counter(
    "job_ticks_skipped_total", "Periodic job ticks another process had already claimed.",
    ["job"])
