"""The SSRF guard: IP notations, address classes, and real requests to servers on loopback."""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
import subprocess
import threading
from http.server import ThreadingHTTPServer

import httpcore
import httpx
import pytest

from app.net import loop
from app.net.guard import Fetcher, Guard, Refused, parse_allow, parse_ip_literal, refusal_reason
from support.linkserver import LinkServer, _Handler


@pytest.fixture(scope="module")
def dual():
    """One server on [::] that also takes IPv4: every loopback notation reaches it if allowed."""
    s = LinkServer("::")
    yield s
    s.close()


@pytest.fixture()
def local(dual):
    dual.reset()
    return dual


@pytest.mark.parametrize("host,expected", [
    ("127.0.0.1", "127.0.0.1"), ("2130706433", "127.0.0.1"), ("0x7f000001", "127.0.0.1"),
    ("0177.0.0.1", "127.0.0.1"), ("127.1", "127.0.0.1"), ("127.0.1", "127.0.0.1"), ("0x7f.1", "127.0.0.1"),
    ("017700000001", "127.0.0.1"), ("127.0.0.1.", "127.0.0.1"), ("[::1]", "::1"),
    ("[::ffff:127.0.0.1]", "::ffff:7f00:1"), ("169.254.169.254", "169.254.169.254"), ("0", "0.0.0.0"),
    ("example.com", None), ("1.2.3.4.5", None), ("256.1.1.1", None), ("08.1.1.1", None), ("v1.example", None),
])
def test_ip_literal_in_every_notation(host, expected):
    ip = parse_ip_literal(host)
    assert (str(ip) if ip is not None else None) == expected


def test_notations_agree_with_the_system_resolver():
    # What the guard decides a literal means must be what the connection would really reach.
    import socket
    for host in ("2130706433", "0x7f000001", "0177.0.0.1", "127.1", "0x7f.1"):
        assert socket.getaddrinfo(host, 80)[0][4][0] == str(parse_ip_literal(host))


@pytest.mark.parametrize("address,reason", [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.1.2.3", "private"), ("172.16.0.1", "private"),
    ("192.168.1.1", "private"), ("fd12::1", "private"), ("169.254.1.1", "link_local"), ("fe80::1", "link_local"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"), ("100.64.0.1", "cgnat"), ("0.0.0.0", "reserved"),
    ("240.0.0.1", "reserved"), ("::ffff:8.8.8.8", "ipv4_mapped"), ("::ffff:127.0.0.1", "ipv4_mapped"),
    ("169.254.169.254", "metadata"), ("fd00:ec2::254", "metadata"), ("100.100.100.200", "metadata"),
    ("2002:7f00:1::1", "reserved"), ("64:ff9b::a00:1", "reserved"), ("192.0.2.1", "reserved"),
    ("8.8.8.8", None), ("2001:4860:4860::8888", None), ("93.184.216.34", None),
])
def test_refusal_reason(address, reason):
    assert refusal_reason(ipaddress.ip_address(address)) == reason


def test_allow_setting():
    assert parse_allow("") == ()
    assert ipaddress.ip_network("127.0.0.0/8") in parse_allow("true")
    g = Guard(allow=parse_allow("127.0.0.1/32"))
    assert g.reason(ipaddress.ip_address("127.0.0.1")) is None
    assert g.reason(ipaddress.ip_address("127.0.0.2")) == "loopback"
    everything = Guard(allow=parse_allow("true"))
    assert everything.reason(ipaddress.ip_address("169.254.169.254")) == "metadata"
    assert everything.reason(ipaddress.ip_address("::ffff:127.0.0.1")) == "ipv4_mapped"
    with pytest.raises(ValueError, match="not a network"):
        parse_allow("intranet")


def _run(coro):
    return loop.run(coro, timeout=30)


async def _fetch(url: str, guard: Guard, **kw):
    f = Fetcher(guard, timeout=2)
    try:
        return await f.fetch(url, **kw)
    finally:
        await f.aclose()


@pytest.mark.parametrize("host", ["127.0.0.1", "2130706433", "0x7f000001", "127.1", "localhost", "[::1]",
                                  "[::ffff:127.0.0.1]", "[::ffff:7f00:1]"])
def test_loopback_in_any_notation_is_refused_and_nothing_is_sent(local, host):
    with pytest.raises(Refused):
        _run(_fetch(f"http://{host}:{local.port}/secret", Guard()))
    assert local.seen == []


def test_octal_notation_is_refused(local):
    # httpx rejects "0177.0.0.1" as a URL; either way no request may leave.
    with pytest.raises((Refused, httpx.InvalidURL)):
        _run(_fetch(f"http://0177.0.0.1:{local.port}/", Guard()))
    assert local.seen == []


def test_a_name_resolving_to_loopback_is_refused(local):
    async def resolver(host, port):
        return ["127.0.0.1"]

    with pytest.raises(Refused) as e:
        _run(_fetch(f"http://intranet.example.com:{local.port}/", Guard(resolver=resolver)))
    assert e.value.reason == "loopback" and local.seen == []


def test_one_bad_address_among_several_refuses_the_host(local):
    async def resolver(host, port):
        return ["93.184.216.34", "10.0.0.5"]

    with pytest.raises(Refused) as e:
        _run(_fetch(f"http://mixed.example:{local.port}/", Guard(resolver=resolver)))
    assert e.value.address == "10.0.0.5"


def test_connects_to_the_checked_address_without_a_second_lookup(local):
    calls = []

    async def resolver(host, port):
        calls.append(host)
        return ["127.0.0.1"] if len(calls) == 1 else ["10.9.9.9"]  # a rebinding answer, if asked again

    r = _run(_fetch(f"http://rebind.example:{local.port}/once", Guard(allow=parse_allow("127.0.0.1/32"),
                                                                    resolver=resolver)))
    assert r.status == 200 and calls == ["rebind.example"]
    assert local.seen[0].headers["Host"] == f"rebind.example:{local.port}"


def test_metadata_is_refused_even_when_private_targets_are_allowed():
    attempts = []

    class Recorder(httpcore.AsyncNetworkBackend):
        async def connect_tcp(self, host, port, **kw):
            attempts.append(host)
            raise httpcore.ConnectError("recorded")

    async def go():
        f = Fetcher(Guard(allow=parse_allow("true")), timeout=1, inner=Recorder())
        try:
            await f.fetch("http://169.254.169.254/latest/meta-data/")
        finally:
            await f.aclose()

    with pytest.raises(Refused, match="metadata"):
        _run(go())
    assert attempts == []


def test_allowed_private_target_no_cookies_no_credentials_honest_agent(local):
    guard = Guard(allow=parse_allow("127.0.0.1/32"))

    async def go():
        f = Fetcher(guard, timeout=2)
        try:
            await f.fetch(f"http://127.0.0.1:{local.port}/cookie")
            return await f.fetch(f"http://admin:pw@127.0.0.1:{local.port}/after")
        finally:
            await f.aclose()

    r = _run(go())
    assert r.status == 200
    first, second = local.seen
    assert "Cookie" not in second.headers and "Authorization" not in second.headers
    assert second.headers["User-Agent"].startswith("precheck-linkcheck/")


def test_redirect_hops_go_through_the_guard():
    target = LinkServer("127.0.0.2")  # loopback, but not the allowed 127.0.0.1
    origin = LinkServer("127.0.0.1")
    try:
        guard = Guard(allow=parse_allow("127.0.0.1/32"))
        for to in (f"http://127.0.0.2:{target.port}/x", f"http://2130706434:{target.port}/x",
                   f"http://127.2:{target.port}/x", f"http://0x7f000002:{target.port}/x"):
            with pytest.raises(Refused):
                _run(_fetch(f"{origin.url}/to?u={to}", guard, max_redirects=5))
        assert target.seen == [] and len(origin.seen) == 4
    finally:
        target.close()
        origin.close()


def test_max_bytes_bounds_the_body(local):
    guard = Guard(allow=parse_allow("true"))
    r = _run(_fetch(f"{local.url}/status/200", guard, max_bytes=2))
    assert r.content == b"20" and r.truncated


def _openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    """HTTPS on 127.0.0.1 with a certificate for secure.test only, signed by a throwaway CA."""
    d = tmp_path_factory.mktemp("tls")
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
             "-subj", "/CN=precheck test CA", cwd=d)
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "leaf.key", "-out", "leaf.csr",
             "-subj", "/CN=secure.test", cwd=d)
    (d / "ext.cnf").write_text("subjectAltName=DNS:secure.test\n")
    _openssl("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", "leaf.pem", "-days", "2", "-extfile", "ext.cnf", cwd=d)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.seen, httpd.lock, httpd.active, httpd.max_active, httpd.connections = [], threading.Lock(), 0, 0, 0
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(d / "leaf.pem", d / "leaf.key")
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd, d / "ca.pem"
    httpd.shutdown()


def test_tls_verifies_the_real_host_name_on_the_pinned_address(tls_server):
    httpd, ca = tls_server
    port = httpd.server_address[1]

    async def resolver(host, port):
        return ["127.0.0.1"]

    async def get(host):
        f = Fetcher(Guard(allow=parse_allow("127.0.0.1/32"), resolver=resolver), timeout=3,
                    verify=ssl.create_default_context(cafile=str(ca)))
        try:
            return await f.fetch(f"https://{host}:{port}/status/200")
        finally:
            await f.aclose()

    assert _run(get("secure.test")).status == 200
    with pytest.raises(httpx.ConnectError, match="(?i)certificate|hostname"):
        _run(get("other.test"))  # same address, wrong name: the certificate must not be accepted


def test_the_shared_loop_runs_coroutines_from_threads():
    async def where():
        await asyncio.sleep(0)
        return threading.current_thread().name

    names = set()
    threads = [threading.Thread(target=lambda: names.add(loop.run(where(), timeout=5))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert names == {"precheck-net"}
