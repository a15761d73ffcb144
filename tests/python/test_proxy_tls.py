"""Proxies and TLS as requests and boto3 users expect: HTTPS_PROXY / HTTP_PROXY / ALL_PROXY /
NO_PROXY honoured by default, an explicit ``proxy=`` wins, ``trust_env=False`` turns the
environment off; a CA bundle (``ca_bundle=``, REQUESTS_CA_BUNDLE, SSL_CERT_FILE) replaces the
system's roots. A local proxy counts what passes through it; a local TLS front with a throwaway
CA stands before the emulator. Proxy passwords never show."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

import hcpartner
from conftest import Emulator
from netutil import Proxy, TlsFront, target_of

PROXY_VARS = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY",
              "no_proxy", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "REQUEST_METHOD"]


@pytest.fixture()
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture()
def proxy() -> Iterator[Proxy]:
    p = Proxy()
    yield p
    p.close()


def _calls(client: hcpartner.Client) -> None:
    client.list_sub_customers(limit=1)
    client.list_sub_customers(limit=2)


def test_http_proxy_from_the_environment(emu: Emulator, clean_env: pytest.MonkeyPatch, proxy: Proxy) -> None:
    clean_env.setenv("HTTP_PROXY", proxy.url)
    client = emu.client()
    assert "HTTP_PROXY" in client.proxy and proxy.url in client.proxy
    _calls(client)
    assert [m for m, _ in proxy.requests] == ["POST", "POST"]
    assert all(url.startswith(emu.url + "/v2/partners/sub-customers") for _, url in proxy.requests)


def test_lowercase_and_all_proxy(emu: Emulator, clean_env: pytest.MonkeyPatch, proxy: Proxy) -> None:
    clean_env.setenv("all_proxy", proxy.url)
    emu.client().list_sub_customers(limit=1)
    assert len(proxy.requests) == 1
    other = Proxy()
    try:
        clean_env.setenv("http_proxy", other.url)  # the scheme's own variable wins over ALL_PROXY
        emu.client().list_sub_customers(limit=1)
        assert (len(proxy.requests), len(other.requests)) == (1, 1)
    finally:
        other.close()


def test_no_proxy_and_trust_env(emu: Emulator, clean_env: pytest.MonkeyPatch, proxy: Proxy) -> None:
    clean_env.setenv("HTTP_PROXY", proxy.url)
    clean_env.setenv("NO_PROXY", "example.com,127.0.0.1")
    emu.client().list_sub_customers(limit=1)
    clean_env.setenv("NO_PROXY", "example.com")
    emu.client(trust_env=False).list_sub_customers(limit=1)
    assert proxy.requests == []
    assert emu.client(trust_env=False).proxy == "none"
    emu.client().list_sub_customers(limit=1)
    assert len(proxy.requests) == 1


def test_explicit_proxy_wins(emu: Emulator, clean_env: pytest.MonkeyPatch, proxy: Proxy) -> None:
    other = Proxy()
    try:
        clean_env.setenv("HTTP_PROXY", other.url)
        clean_env.setenv("NO_PROXY", "127.0.0.1")
        client = emu.client(proxy=proxy.url)
        client.list_sub_customers(limit=1)
        client.paginate("list_sub_customers", limit=1, max_items=2).to_list()
        assert (len(proxy.requests), len(other.requests)) == (3, 0)
        assert "proxy option" in client.proxy
    finally:
        other.close()


def test_proxy_passwords_never_show(emu: Emulator, clean_env: pytest.MonkeyPatch) -> None:
    guarded = Proxy(auth="user:PROXY-SECRET-9")
    try:
        url = f"http://user:PROXY-SECRET-9@127.0.0.1:{guarded.port}"
        clean_env.setenv("HTTPS_PROXY", url)
        clean_env.setenv("HTTP_PROXY", url)
        client = emu.client()
        client.list_sub_customers(limit=1)  # the credentials reach the proxy
        assert len(guarded.requests) == 1 and guarded.refused == 0
        shown = f"{client!r} {client.proxy} {emu.client(proxy=url)!r}"
        assert "PROXY-SECRET-9" not in shown and "***@127.0.0.1" in shown
        clean_env.setenv("HTTP_PROXY", "http://user:PROXY-SECRET-9@[::1")  # not a URL
        with pytest.raises(hcpartner.InvalidArgument) as e:
            emu.client()
        assert e.value.field == "HTTP_PROXY (environment)" and "PROXY-SECRET-9" not in repr(e.value)
    finally:
        guarded.close()
    with pytest.raises(hcpartner.ConnectionError) as c:  # the proxy is gone
        emu.client(proxy=url, retry={"max_attempts": 1}).list_sub_customers(limit=1)
    assert "PROXY-SECRET-9" not in f"{c.value} {c.value!r} {c.value.hint}"


def test_ca_bundle_option_and_environment(emu: Emulator, clean_env: pytest.MonkeyPatch, tmp_path: Path,
                                          proxy: Proxy) -> None:
    ca = str(tmp_path / "ca.pem")
    front = TlsFront(target_of(emu.url), ca)
    try:
        def client(**options: object) -> hcpartner.Client:
            return hcpartner.Client(endpoint=front.url, credentials=emu.aksk(), retry={"max_attempts": 1}, **options)  # type: ignore[arg-type]

        with pytest.raises(hcpartner.ConnectionError) as e:  # the system's roots do not know the CA
            client().list_sub_customers(limit=1)
        assert e.value.dispatch == "not_sent"
        assert client(ca_bundle=ca).list_sub_customers(limit=1)["count"] >= 1
        assert client(ca_bundle=Path(ca)).list_sub_customers(limit=1).meta.status == 200  # type: ignore[union-attr]
        for var in ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"]:
            clean_env.setenv(var, ca)
            c = client()
            assert c._native.ca_bundle == (ca, f"{var} (environment)")
            c.list_sub_customers(limit=1)
            clean_env.delenv(var)
        clean_env.setenv("REQUESTS_CA_BUNDLE", ca)
        with pytest.raises(hcpartner.ConnectionError):
            client(trust_env=False).list_sub_customers(limit=1)
        # HTTPS through the proxy: one CONNECT tunnel to the TLS front.
        clean_env.setenv("HTTPS_PROXY", proxy.url)
        client().list_sub_customers(limit=1)
        assert proxy.tunnels == [front.url.removeprefix("https://")] and proxy.requests == []
    finally:
        front.close()


def test_a_bad_ca_bundle_names_its_source(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(hcpartner.InvalidArgument) as e:
        hcpartner.Client(endpoint="https://127.0.0.1:9", credentials=hcpartner.AkSk("a", "b"), ca_bundle="/nonexistent.pem")
    assert e.value.field == "ca_bundle" and "/nonexistent.pem" in str(e.value)
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate")
    clean_env.setenv("SSL_CERT_FILE", str(junk))
    with pytest.raises(hcpartner.InvalidArgument) as e:
        hcpartner.Client(endpoint="https://127.0.0.1:9", credentials=hcpartner.AkSk("a", "b"))
    assert e.value.field == "SSL_CERT_FILE (environment)"
