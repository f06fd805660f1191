"""The one way ``analyse fetch cbs`` talks to CBS open data: a small OData v3 client that cannot hang.

Every request has a connect timeout, a read timeout (per read from the socket) and a deadline for the
whole response, so a server that accepts and never answers, or drips a byte now and then, ends within
:attr:`Limits.deadline` seconds. A response may be at most :attr:`Limits.max_bytes` long, a result at most
:attr:`Limits.max_pages` pages (``odata.nextLink``) and :attr:`Limits.max_rows` rows; a next link to a page
already read or to another server ends the fetch at once. Transient failures (no connection, a timeout,
HTTP 429, 502, 503, 504) are tried again :attr:`Limits.retries` times, waiting ``backoff``, ``2 x backoff``,
... in between. Every failure is one :class:`~analyse.cbs_mapping.FetchError` line naming the table and the URL.

Only the standard library: ``http.client`` gives the separate connect and read timeouts and a read that
returns what has arrived (``read1``), which the deadline needs; proxies from ``https_proxy``/``http_proxy``
are honoured (``urllib.request.getproxies``).
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass

from analyse.cbs_mapping import FetchError

# the two CBS OData catalogues: CBS's own tables, and the tables of third parties (the police) that CBS serves
CATALOGUES = {"opendata": "https://opendata.cbs.nl", "dataderden": "https://dataderden.cbs.nl"}
API_PATH = "/ODataApi/odata/{table}/{name}"
TRANSIENT_STATUS = (429, 502, 503, 504)
USER_AGENT = "integratie-analyse (analyse fetch cbs)"


@dataclass(frozen=True)
class Limits:
    """How long and how much one fetch may take; tests use small values."""

    connect_timeout: float = 10.0   # seconds to set up the connection
    read_timeout: float = 30.0      # seconds one read from the socket may wait
    deadline: float = 120.0         # seconds for a whole response, however it trickles in
    max_bytes: int = 64_000_000     # bytes in one response
    max_pages: int = 50             # pages of one result (odata.nextLink)
    max_rows: int = 250_000         # rows in one result
    retries: int = 3                # further attempts after a transient failure
    backoff: float = 2.0            # seconds before the first retry; doubled each time


class _Transient(Exception):
    """A failure worth trying again; its text is the Dutch reason."""


class ODataClient:
    """Reads CBS OData v3 results as lists of rows, within :class:`Limits`.

    ``root`` replaces the catalogue's address (tests serve on ``http://127.0.0.1:PORT``).
    """

    def __init__(self, limits: Limits | None = None, root: str | None = None, sleep=time.sleep):
        self.limits = limits or Limits()
        self.root = root
        self.sleep = sleep
        self.requests: list[str] = []   # every URL asked for, in order

    def url(self, catalogue: str, table: str, name: str, query: dict[str, str] | None = None) -> str:
        root = self.root or CATALOGUES[catalogue]
        url = root.rstrip("/") + API_PATH.format(table=urllib.parse.quote(table), name=urllib.parse.quote(name))
        parameters = {"$format": "json", **(query or {})}
        return url + "?" + urllib.parse.urlencode(parameters, safe="$',()", quote_via=urllib.parse.quote)

    def rows(self, catalogue: str, table: str, name: str, query: dict[str, str] | None = None) -> list[dict]:
        """All rows of ``name`` (``DataProperties``, a dimension, ``TypedDataSet``), following next links."""
        url = self.url(catalogue, table, name, query)
        host = urllib.parse.urlsplit(url).netloc
        rows: list[dict] = []
        seen: set[str] = set()
        for page in range(1, self.limits.max_pages + 1):
            seen.add(url)
            body = self._get(table, url)
            try:
                content = json.loads(body)
                values = content["value"]
                if not isinstance(values, list) or not all(isinstance(row, dict) for row in values):
                    raise TypeError("value is geen lijst van rijen")
            except (ValueError, KeyError, TypeError) as error:
                raise FetchError(f"CBS gaf voor tabel {table} een onleesbaar antwoord ({_short(error)}) op {url}; "
                                 f"niets geschreven.") from error
            rows += values
            if len(rows) > self.limits.max_rows:
                raise FetchError(f"CBS gaf voor tabel {table} meer dan {self.limits.max_rows} rijen op {url}; "
                                 f"vraag minder regio's of jaren tegelijk; niets geschreven.")
            following = content.get("odata.nextLink")
            if not following:
                return rows
            if not isinstance(following, str):
                raise FetchError(f"CBS gaf voor tabel {table} een ongeldige vervolgpagina op {url}; niets geschreven.")
            following = urllib.parse.urljoin(url, following)
            if urllib.parse.urlsplit(following).netloc != host:
                raise FetchError(f"CBS verwees voor tabel {table} naar een andere server ({following}) vanaf {url}; "
                                 f"niet gevolgd, niets geschreven.")
            if following in seen:
                raise FetchError(f"CBS verwees voor tabel {table} naar een pagina die al gelezen is ({following}); "
                                 f"gestopt, niets geschreven.")
            url = following
        raise FetchError(f"CBS gaf voor tabel {table} meer dan {self.limits.max_pages} pagina's (laatste: {url}); "
                         f"gestopt, niets geschreven.")

    def _get(self, table: str, url: str) -> bytes:
        """The body of ``url``; transient failures are tried again, the last one becomes a FetchError."""
        wait = self.limits.backoff
        for attempt in range(self.limits.retries + 1):
            self.requests.append(url)
            try:
                return self._once(table, url)
            except _Transient as reason:
                if attempt == self.limits.retries:
                    tries = f" (na {attempt + 1} pogingen)" if attempt else ""
                    raise FetchError(f"CBS open data antwoordde niet voor tabel {table}: {reason}{tries} op {url}; "
                                     f"probeer het later opnieuw; niets geschreven.") from None
                self.sleep(wait)
                wait *= 2
        raise AssertionError("unreachable")

    def _once(self, table: str, url: str) -> bytes:
        limits = self.limits
        start = time.monotonic()
        parts = urllib.parse.urlsplit(url)
        connection = _connection(parts, limits.connect_timeout)
        try:
            try:
                connection.connect()
            except (socket.timeout, TimeoutError):
                raise _Transient(f"geen verbinding binnen {_seconds(limits.connect_timeout)}") from None
            except ssl.SSLError as error:
                raise FetchError(f"Beveiligde verbinding met CBS mislukt voor tabel {table} ({_short(error)}) op "
                                 f"{url}; niets geschreven.") from error
            except OSError as error:
                raise _Transient(f"geen verbinding ({_short(error)})") from None
            connection.sock.settimeout(limits.read_timeout)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            connection.request("GET", target, headers={"Accept": "application/json", "User-Agent": USER_AGENT,
                                                       "Accept-Encoding": "identity"})
            response = connection.getresponse()
            if response.status in TRANSIENT_STATUS:
                raise _Transient(f"HTTP {response.status} {response.reason}")
            if response.status != 200:
                raise FetchError(f"CBS gaf HTTP {response.status} {response.reason} voor tabel {table} op {url}; "
                                 f"bestaat de tabel in de catalogus? Niets geschreven.")
            chunks, size = [], 0
            while True:
                if time.monotonic() - start > limits.deadline:
                    raise _Transient(f"antwoord niet compleet binnen {_seconds(limits.deadline)}")
                chunk = response.read1(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > limits.max_bytes:
                    raise FetchError(f"CBS gaf voor tabel {table} een antwoord van meer dan {limits.max_bytes} bytes "
                                     f"op {url}; vraag minder tegelijk; niets geschreven.")
                chunks.append(chunk)
            return b"".join(chunks)
        except (socket.timeout, TimeoutError):
            raise _Transient(f"geen antwoord binnen {_seconds(limits.read_timeout)}") from None
        except (http.client.HTTPException, ConnectionError) as error:
            raise _Transient(f"verbinding verbroken ({_short(error)})") from None
        finally:
            connection.close()


def _connection(parts: urllib.parse.SplitResult, timeout: float) -> http.client.HTTPConnection:
    """A connection to the URL's host, through the proxy named in the environment where there is one."""
    secure = parts.scheme == "https"
    kind = http.client.HTTPSConnection if secure else http.client.HTTPConnection
    extra = {"context": ssl.create_default_context()} if secure else {}
    proxy = urllib.request.getproxies().get(parts.scheme)
    if proxy and not urllib.request.proxy_bypass(parts.hostname or ""):
        proxied = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        connection = kind(proxied.hostname, proxied.port, timeout=timeout, **extra)
        connection.set_tunnel(parts.hostname, parts.port)
        return connection
    return kind(parts.hostname, parts.port, timeout=timeout, **extra)


def _seconds(value: float) -> str:
    """Seconds as a Dutch reader writes them: ``0,5 s``, ``30 s``."""
    return f"{value:g}".replace(".", ",") + " s"


def _short(error: BaseException) -> str:
    return " ".join(str(error).split())[:200] or type(error).__name__
