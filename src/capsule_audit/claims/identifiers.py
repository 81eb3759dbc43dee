"""Normalizing one written identifier: arXiv IDs, DOIs, URLs.

Only forms are recognized here; whether an identifier is plausible (month 13, a sequence number
too high, a journal code that does not match the venue) is for the rules to judge, so
well-formed but implausible identifiers are kept, and cut-off ones are kept as truncated.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote, urlsplit, urlunsplit

from capsule_audit.claims.construct import citation
from capsule_audit.models.claims import Citation

ARXIV_ARCHIVES = (
    r"(?:hep-th|hep-ph|hep-ex|hep-lat|astro-ph|cond-mat|gr-qc|math-ph|nucl-th|nucl-ex|quant-ph"
    r"|physics|math|cs|nlin|q-bio|q-fin|stat|chao-dyn|solv-int|patt-sol|adap-org|cmp-lg|alg-geom"
    r"|dg-ga|funct-an|q-alg|mtrl-th|supr-con|chem-ph|atom-ph|plasm-ph|acc-phys|ao-sci|bayes-an)"
)
_NEW_ID = r"\d{4}\.\d{4,5}"
_OLD_ID = rf"{ARXIV_ARCHIVES}(?:\.[A-Za-z]{{2}})?/\d{{7}}"
_ARXIV_ID = re.compile(rf"^(?P<id>{_NEW_ID}|{_OLD_ID})(?P<version>v\d+)?(?:\.pdf)?/?$", re.IGNORECASE)
_ARXIV_PARTIAL = re.compile(
    rf"^(?:\d{{1,4}}(?:\.\d{{0,4}})?|{ARXIV_ARCHIVES}(?:\.[A-Za-z]{{2}})?/\d{{0,6}})$"
)
_ARXIV_PREFIX = re.compile(r"^arxiv\s*:\s*", re.IGNORECASE)
_DOI = re.compile(r"^(?:doi\s*:\s*)?(?P<doi>10\.\d{4,9}(?:\.\d+)*/\S+)$", re.IGNORECASE)
_DOI_IN_PATH = re.compile(r"(10\.\d{4,9}(?:\.\d+)*/[^?#\s]+)")
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(?P<rest>.+)$", re.IGNORECASE)
_TRAILING = ".,;:!?*_'\""


def strip_trailing(raw: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets after an identifier."""
    while raw:
        last = raw[-1]
        if (
            last in _TRAILING
            or (last == ")" and raw.count("(") < raw.count(")"))
            or (last == "]" and raw.count("[") < raw.count("]"))
        ):
            raw = raw[:-1]
        else:
            break
    return raw


def arxiv_citation(identifier: str, raw: str) -> Citation | None:
    """An arXiv citation from an ID with optional version; a cut-off ID gives a truncated one."""
    match = _ARXIV_ID.match(identifier)
    if match:
        found = match.group("id")
        archive, slash, number = found.partition("/")
        name, dot, subject = archive.partition(".")
        # old style keeps arXiv's own casing: 'math.GT/0309136'
        key = f"{name.lower()}{dot}{subject.upper()}{slash}{number}" if slash else found
        version = match.group("version")
        return citation("arxiv", f"arxiv:{key}", raw, version=version.lower() if version else None)
    if identifier and _ARXIV_PARTIAL.match(identifier):
        return citation("arxiv", f"arxiv:{identifier.lower()}", raw, truncated=True)
    return None


def doi_citation(doi: str, raw: str) -> Citation:
    """A DOI citation, lower-cased; DataCite arXiv DOIs become arXiv citations."""
    doi = strip_trailing(unquote(doi))
    arxiv = _ARXIV_DOI.match(doi)
    if arxiv:
        found = arxiv_citation(arxiv.group("rest"), raw)
        if found is not None:
            return found
    return citation("doi", f"doi:{doi.lower()}", raw)


def normalize_url(url: str) -> str:
    """Lower-case scheme and host, https, no 'www.', default port, fragment or trailing slash."""
    if url.lower().startswith("www."):
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return url.strip()
    host = host.removeprefix("www.")
    if port is not None and port not in (80, 443):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    return urlunsplit(("https", host, path, parts.query, ""))


_ARXIV_URL = re.compile(
    r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/(?P<id>[^?#\s]*)$", re.IGNORECASE
)


@lru_cache(maxsize=4096)
def url_citation(url: str, raw: str) -> Citation:
    """A URL: arXiv and DOI URLs become arXiv and DOI citations, anything else stays a URL.

    Cached: dumps cite the same few URLs over and over, and citations are immutable values.
    """
    url = strip_trailing(url)
    fast = _ARXIV_URL.match(url)
    if fast:  # the common case, without the cost of urlsplit
        found = arxiv_citation(fast.group("id"), raw)
        if found is not None:
            return found
    normalized = normalize_url(url)
    rest = normalized.removeprefix("https://")
    host, _, path = rest.partition("/")
    if host.endswith("arxiv.org"):
        section, _, identifier = path.partition("/")
        if section in ("abs", "pdf", "html", "format"):
            found = arxiv_citation(identifier, raw)
            if found is not None:
                return found
    if host in ("doi.org", "dx.doi.org") and path:
        return doi_citation(path, raw)
    if host.endswith("nature.com") and path.startswith("articles/") and len(path) > len("articles/"):
        return doi_citation("10.1038/" + path.removeprefix("articles/"), raw)
    in_path = _DOI_IN_PATH.search(path)
    if in_path:
        return doi_citation(in_path.group(1), raw)
    return citation("url", f"url:{normalized}", raw)


def normalize_identifier(raw: str) -> Citation | None:
    """Normalize one identifier as written; None when it is none of arXiv, DOI or URL.

    'https://arxiv.org/pdf/2604.01234v2.pdf' -> key 'arxiv:2604.01234', version 'v2';
    'doi:10.1038/S41563-...' -> 'doi:10.1038/s41563-...'; '10.48550/arXiv.2604.01234' ->
    'arxiv:2604.01234'; 'hep-th/9901001' -> 'arxiv:hep-th/9901001'; other URLs -> 'url:...'.
    """
    text = strip_trailing(raw.strip().strip("<>"))
    if not text:
        return None
    lowered = text.lower()
    if lowered.startswith(("http://", "https://", "www.")):
        return url_citation(text, raw)
    if lowered.startswith(("arxiv.org/", "export.arxiv.org/", "doi.org/", "dx.doi.org/")):
        return url_citation("https://" + text, raw)
    prefix = _ARXIV_PREFIX.match(text)
    if prefix:
        return arxiv_citation(text[prefix.end() :], raw)
    doi = _DOI.match(text)
    if doi:
        return doi_citation(doi.group("doi"), raw)
    match = _ARXIV_ID.match(text)
    if match:
        return arxiv_citation(text, raw)
    return None
