"""The CBS client against a local HTTP server in a thread (no internet): it cannot hang, loop or overflow.

Servers that hang, drip, link to themselves or elsewhere, page without end, send too much, fail now and
then: each fetch ends within its limits with one Dutch line naming the table and the URL.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from analyse import cbs, cbs_http, cli
from analyse.cbs_http import Limits, ODataClient
from analyse.cbs_mapping import FetchError
from cbs_fake import _parse_filter, fixture, make_raw_dir

FAST = Limits(connect_timeout=1.0, read_timeout=0.5, deadline=1.0, max_bytes=100_000, max_pages=5, max_rows=1000,
              retries=0, backoff=0.01)


class _Server:
    """A local server whose answer for each path is given by the test: a function (handler, query) -> None."""

    def __init__(self, behave):
        server_self = self
        self.stop = threading.Event()
        self.hits: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the name http.server calls)
                server_self.hits.append(self.path)
                parts = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parts.query))
                behave(self, parts.path, query, server_self)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.root = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve():
    servers = []

    def start(behave):
        servers.append(_Server(behave))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _json(handler, content, status=200):
    body = json.dumps(content).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _table(table, pages=1):
    """Serves a constructed table like CBS: metadata by name, TypedDataSet filtered, in ``pages`` pages."""
    content = fixture(table)

    def behave(handler, path, query, server):
        name = path.rstrip("/").rsplit("/", 1)[1]
        if name != "TypedDataSet":
            return _json(handler, {"value": content[name]})
        wanted = _parse_filter(query.get("$filter", ""))
        rows = [r for r in content["TypedDataSet"] if all(r.get(d) in keys for d, keys in wanted.items())]
        page = int(query.get("page", "0"))
        size = -(-len(rows) // pages)
        answer = {"value": rows[page * size:(page + 1) * size]}
        if page + 1 < pages:
            answer["odata.nextLink"] = f"{server.root}{path}?{urllib.parse.urlencode({**query, 'page': page + 1})}"
        _json(handler, answer)

    return behave


def _client(server, **limits):
    return ODataClient(limits=Limits(**{**FAST.__dict__, **limits}), root=server.root, sleep=lambda s: None)


def _fails_quickly(client, within, match):
    start = time.monotonic()
    with pytest.raises(FetchError) as caught:
        client.rows("dataderden", "47018NED", "DataProperties")
    took = time.monotonic() - start
    message = str(caught.value)
    assert took < within, f"duurde {took:.1f} s"
    assert "\n" not in message and "tabel 47018NED" in message and "http://127.0.0.1:" in message
    assert __import__("re").search(match, message), message
    return message


# --------------------------------------------------------------------------- a whole fetch over HTTP

def test_a_fetch_over_http_follows_the_pages_and_writes_the_rows(serve, tmp_path):
    server = serve(_table("47018NED", pages=3))
    raw = make_raw_dir(tmp_path / "raw")
    result = cbs.fetch_cbs("47018NED", cbs.Request(codes=("GM0556",)), None, raw, client=_client(server))
    assert result.rows == 16
    data_hits = [hit for hit in server.hits if "/TypedDataSet" in hit]
    assert len(data_hits) == 3 and "page=2" in data_hits[-1]
    first = urllib.parse.unquote(data_hits[0])
    assert first.startswith("/ODataApi/odata/47018NED/TypedDataSet?$format=json&$filter=")
    assert "(WijkenEnBuurten eq 'GM0556    ')" in first


# --------------------------------------------------------------------------- servers that misbehave

def test_a_server_that_never_answers_ends_within_the_timeout(serve):
    server = serve(lambda handler, path, query, srv: srv.stop.wait(10))
    message = _fails_quickly(_client(server), within=3, match="geen antwoord binnen 0,5 s")
    assert message.startswith("CBS open data antwoordde niet voor tabel 47018NED: ")


def test_a_server_that_drips_ends_at_the_deadline(serve):
    def drip(handler, path, query, srv):
        handler.send_response(200)
        handler.send_header("Content-Length", "1000000")
        handler.end_headers()
        while not srv.stop.is_set():
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.1)   # well within the read timeout: only the deadline stops this

    server = serve(drip)
    _fails_quickly(_client(server), within=3, match="antwoord niet compleet binnen 1 s")


def test_a_server_that_links_to_itself_is_stopped_at_once(serve):
    server = serve(lambda handler, path, query, srv: _json(handler, {
        "value": [{"Key": "x"}], "odata.nextLink": f"{srv.root}{handler.path}"}))
    _fails_quickly(_client(server), within=3, match="naar een pagina die al gelezen is")
    assert len(server.hits) == 1


def test_a_server_that_pages_without_end_is_stopped_at_the_page_limit(serve):
    def endless(handler, path, query, srv):
        page = int(query.get("page", "0"))
        _json(handler, {"value": [{"Key": str(page)}], "odata.nextLink": f"{srv.root}{path}?page={page + 1}"})

    server = serve(endless)
    _fails_quickly(_client(server), within=3, match="meer dan 5 pagina's")
    assert len(server.hits) == 5


def test_a_next_link_to_another_server_is_not_followed(serve):
    server = serve(lambda handler, path, query, srv: _json(handler, {
        "value": [], "odata.nextLink": "http://elders.example/ODataApi/odata/x"}))
    _fails_quickly(_client(server), within=3, match=r"naar een andere server \(http://elders.example")


def test_a_response_larger_than_the_limit_is_refused(serve):
    server = serve(lambda handler, path, query, srv: _json(handler, {"value": [{"Key": "x" * 200_000}]}))
    _fails_quickly(_client(server), within=3, match="meer dan 100000 bytes")


def test_more_rows_than_the_limit_are_refused(serve):
    server = serve(lambda handler, path, query, srv: _json(handler, {"value": [{"Key": "x"}] * 1001}))
    _fails_quickly(_client(server), within=3, match="meer dan 1000 rijen")


def test_an_answer_that_is_not_odata_json(serve):
    def garbage(handler, path, query, srv):
        handler.send_response(200)
        handler.send_header("Content-Length", "9")
        handler.end_headers()
        handler.wfile.write(b"<html>hi<")

    _fails_quickly(_client(serve(garbage)), within=3, match="onleesbaar antwoord")


def test_a_missing_table_is_an_http_error_without_retry(serve):
    server = serve(lambda handler, path, query, srv: _json(handler, {"error": "not found"}, status=404))
    _fails_quickly(_client(server, retries=3), within=3, match="CBS gaf HTTP 404")
    assert len(server.hits) == 1


def test_a_transient_error_is_tried_again_with_backoff(serve):
    waits = []

    def flaky(handler, path, query, srv):
        if len(srv.hits) < 3:
            return _json(handler, {"error": "busy"}, status=503)
        _json(handler, {"value": [{"Key": "Perioden", "Type": "TimeDimension", "Title": "Perioden"}]})

    server = serve(flaky)
    client = ODataClient(limits=Limits(**{**FAST.__dict__, "retries": 3, "backoff": 0.5}), root=server.root,
                         sleep=waits.append)
    assert client.rows("dataderden", "47018NED", "DataProperties")[0]["Key"] == "Perioden"
    assert waits == [0.5, 1.0] and len(server.hits) == 3


def test_a_lasting_transient_error_ends_after_the_retries(serve):
    server = serve(lambda handler, path, query, srv: _json(handler, {}, status=503))
    message = _fails_quickly(_client(server, retries=2), within=3, match=r"HTTP 503 .*\(na 3 pogingen\)")
    assert len(server.hits) == 3 and "probeer het later opnieuw" in message


def test_no_server_at_all(serve):
    server = serve(lambda handler, path, query, srv: None)
    root = server.root
    server.close()
    client = ODataClient(limits=FAST, root=root, sleep=lambda s: None)
    with pytest.raises(FetchError, match=r"CBS open data antwoordde niet voor tabel 47018NED: geen verbinding"):
        client.rows("dataderden", "47018NED", "DataProperties")


# --------------------------------------------------------------------------- the command line

def test_the_command_line_ends_a_hanging_fetch_with_one_dutch_line(serve, tmp_path, monkeypatch, capsys):
    server = serve(lambda handler, path, query, srv: srv.stop.wait(10))
    (tmp_path / "notebooks").mkdir()
    make_raw_dir(tmp_path / "data" / "raw")
    monkeypatch.setenv("ANALYSE_ROOT", str(tmp_path))
    monkeypatch.setattr(cbs, "ODataClient", lambda: ODataClient(limits=FAST, root=server.root))
    start = time.monotonic()
    code = cli.main(["fetch", "cbs", "--tabel", "47018NED", "--regio", "GM0556"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_ERROR and time.monotonic() - start < 5
    assert err.startswith("Fout: CBS open data antwoordde niet voor tabel 47018NED: geen antwoord binnen 0,5 s")
    assert err.count("\n") == 1 and not (tmp_path / "data" / "raw" / "politie_47018ned.csv").exists()


def test_the_default_limits_bound_every_request():
    limits = cbs_http.Limits()
    assert 0 < limits.connect_timeout <= 30 and 0 < limits.read_timeout <= 60 and limits.deadline <= 300
    assert limits.max_pages <= 100 and limits.retries <= 5
