"""Without --online nothing opens a socket: importing and using the online layer offline is safe.

Not marked `loopback_network`: the guard fails this test on any socket, even to 127.0.0.1.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import capsule_audit.online
from capsule_audit.models.claims import Binding, ExtractedCapsule
from capsule_audit.models.verdicts import VerdictKind
from capsule_audit.online.cache import AnswerCache
from capsule_audit.online.options import OnlineOptions
from capsule_audit.online.results import Lookup, LookupStatus
from capsule_audit.online.verify import Runtime, verify
from capsule_audit.rules.base import Group, GroupKind, Member, RuleContext
from capsule_audit.rules.online import ONLINE_RULES
from tests.online.seed_claims import C001, cite, claim, seed_capsules
from tests.online.test_rules import NOW, group


def test_every_online_module_imports_without_touching_the_network() -> None:
    names = [m.name for m in pkgutil.iter_modules(capsule_audit.online.__path__)]
    assert {"arxiv", "crossref", "doiorg", "forge", "verify", "cache", "http"} <= set(names)
    for name in names:
        importlib.import_module(f"capsule_audit.online.{name}")
    importlib.import_module("capsule_audit.cli.fetch")


def test_rules_without_verdicts_and_a_cache_only_run_open_no_socket(tmp_path: Path) -> None:
    ctx = RuleContext(now=NOW)
    for rule_ in ONLINE_RULES:
        assert rule_.check is not None
        assert list(rule_.check(group("arxiv:2604.01234"), ctx)) == []
    empty = Group(kind=GroupKind.CITATION, key="arxiv:2604.00001", members=tuple[Member, ...]())
    assert all(list(r.check(empty, ctx)) == [] for r in ONLINE_RULES if r.check)
    verdicts = verify(seed_capsules(), OnlineOptions(cache_only=True, cache_dir=tmp_path))
    assert verdicts and {v.verdict for v in verdicts.values()} == {VerdictKind.UNVERIFIABLE}


def test_a_fully_cached_run_opens_no_socket(tmp_path: Path) -> None:
    # Fill the cache by hand with what a previous run would have stored, then verify offline-safe.
    cache = AnswerCache(tmp_path / "c.sqlite3", ttl=3600)
    for arxiv_id in ("2604.01234", "2604.01567", "2604.01889", "2604.01890", "2604.01892", "2604.04501"):
        cache.put(Lookup(service="arxiv", identifier=arxiv_id, status=LookupStatus.FOUND, title="Some paper"))
    cache.put(Lookup.absent("crossref", "10.1038/s41563-026-01234-3", "404"))
    cache.put(Lookup.absent("doi.org", "10.1038/s41563-026-01234-3", "404"))
    for title in (
        "efficient distributed orthonormal optimizers for large-scale training",
        "goodhart's revenge",
    ):
        cache.put(Lookup.absent("arxiv-title-search", title, "none"))
    verdicts = verify(seed_capsules(), OnlineOptions(), runtime=Runtime(cache=cache))
    assert verdicts["doi:10.1038/s41563-026-01234-3"].verdict is VerdictKind.FABRICATED
    assert (
        verdicts["arxiv:2604.01892"].verdict is VerdictKind.VERIFIED and verdicts["arxiv:2604.01892"].cached
    )


def test_a_positional_guess_alone_does_not_make_an_identifier_miscited(tmp_path: Path) -> None:
    # Capsule 001 lists 2604.01892 third; the extractor's positional binding gives it to the third
    # method (DPO-UW) while the paper is the fourth (FIT-GD). Only explicit credits decide.
    cache = AnswerCache(tmp_path / "c.sqlite3", ttl=3600)
    title = "Federated Instruction Tuning with Gradient Disentanglement"
    cache.put(Lookup(service="arxiv", identifier="2604.01892", status=LookupStatus.FOUND, title=title))
    guessed = cite("arxiv:2604.01892", binding=Binding.POSITIONAL)
    positional = ExtractedCapsule(
        capsule=C001, claims=(claim(C001, 1, "DPO Uncertainty", "DPO-UW", guessed),)
    )
    options = OnlineOptions(cache_only=True)
    verdict = verify([positional], options, runtime=Runtime(cache=cache))["arxiv:2604.01892"]
    assert verdict.verdict is VerdictKind.VERIFIED
    stated = ExtractedCapsule(
        capsule=C001, claims=(claim(C001, 1, "DPO Uncertainty", "DPO-UW", cite("arxiv:2604.01892")),)
    )
    assert verify([stated], options, runtime=Runtime(cache=cache))["arxiv:2604.01892"].verdict is (
        VerdictKind.MISCITED
    )
