"""Online verification settings: service URLs, politeness, retries, cache and match thresholds.

Defaults follow the services' terms: arXiv asks for one request every 3 s on one connection;
Crossref allows 10 requests/s in its polite pool (with `mailto`) and 5/s without.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_MATCH_THRESHOLD = 80.0
"""Below this similarity (0-100) a credited method does not match the record's title."""


class OnlineOptions(BaseModel):
    """Everything `--online` and `capsule-audit fetch` can be told."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    arxiv_api_url: str = "https://export.arxiv.org/api/query"
    crossref_api_url: str = "https://api.crossref.org"
    doi_resolver_url: str = "https://doi.org"
    forge_base_url: str = "https://forgecascade.org"

    arxiv_min_interval: float = Field(default=3.0, ge=0, description="Seconds between arXiv requests.")
    arxiv_batch_size: int = Field(default=50, ge=1, le=500, description="IDs per id_list request.")
    arxiv_empty_confirmations: int = Field(
        default=2,
        ge=0,
        description="Extra lookups an ID missing from a feed gets before it counts as absent.",
    )
    crossref_min_interval: float | None = Field(
        default=None, ge=0, description="Seconds between Crossref requests; None: 0.1 with mailto, else 0.2."
    )
    doi_min_interval: float = Field(default=0.2, ge=0)
    forge_min_interval: float = Field(default=1.0, ge=0)
    forge_throttle_delay: float = Field(
        default=5.0, ge=0, description="First back-off after a Forge rate-limit body (it recovers in 5-10 s)."
    )
    mailto: str | None = Field(default=None, description="Contact address: Crossref's polite pool.")

    cache_dir: Path | None = Field(default=None, description="None: the user cache directory.")
    use_cache: bool = True
    ttl_days: float = Field(default=30.0, ge=0, description="How long a cached answer stays fresh.")
    refresh: bool = Field(default=False, description="Ignore cached answers (still store new ones).")
    cache_only: bool = Field(default=False, description="Use cached answers only; never the network.")

    timeout: float = Field(default=20.0, gt=0, description="Per-request timeout (seconds).")
    max_retries: int = Field(default=4, ge=0, description="Retries after the first attempt.")
    backoff_base: float = Field(default=1.0, ge=0, description="First retry delay (doubles each time).")
    backoff_max: float = Field(default=60.0, ge=0, description="Longest delay, Retry-After included.")
    trust_env: bool = Field(default=True, description="Honour HTTP(S)_PROXY and friends.")
    request_deadline: float = Field(
        default=30.0, gt=0, description="Seconds one request may take in all, body included."
    )
    run_budget: float | None = Field(
        default=3600.0, gt=0, description="Seconds the online step may take in all; None: no limit."
    )
    max_response_bytes: int = Field(
        default=16 * 1024 * 1024, ge=1024, description="Largest answer read; a larger one is cut off."
    )
    breaker_failures: int = Field(
        default=5, ge=1, description="Failed attempts in a row after which a service is not asked again."
    )
    breaker_hard_failures: int = Field(
        default=3,
        ge=1,
        description="Connections in a row a host refused (or no such host) after which it is not"
        " asked again. A timeout opens the host's breaker at once, an answer cut off (deadline, size)"
        " the service's.",
    )
    arxiv_control_id: str = Field(
        default="1706.03762",
        description="A paper arXiv surely holds, asked for beside IDs missing from an empty feed:"
        " only a feed that returns a paper proves the others absent.",
    )

    match_threshold: float = Field(default=DEFAULT_MATCH_THRESHOLD, ge=0, le=100)
    title_match_threshold: float = Field(
        default=90.0, ge=0, le=100, description="A quoted title counts as found at or above this score."
    )
    title_search_results: int = Field(default=5, ge=1, le=50)

    @property
    def crossref_interval(self) -> float:
        """Seconds between Crossref requests: 10/s in the polite pool, 5/s anonymously."""
        if self.crossref_min_interval is not None:
            return self.crossref_min_interval
        return 0.1 if self.mailto else 0.2
