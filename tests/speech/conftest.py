"""Fixtures for the speech tests."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def edge_server(monkeypatch):
    """A factory: ``edge_server(**options)`` starts a local Edge read-aloud server
    (tests/speech/edge_server.py) and points EdgeEngine at it through PUBLISH_EDGE_ENDPOINT.

    Proxy variables are unset (the client's session trusts the environment) and edge-tts's
    DRM clock skew starts at 0 (and is restored afterwards). Servers stop after the test.
    """
    import edge_tts.drm

    from tests.speech.edge_server import start_server

    for name in list(os.environ):
        if name.lower().endswith("_proxy") and name.lower() != "no_proxy":
            monkeypatch.delenv(name)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setattr(edge_tts.drm.DRM, "clock_skew_seconds", 0.0)
    servers = []

    def start(**options):
        server = start_server(**options)
        servers.append(server)
        monkeypatch.setenv("PUBLISH_EDGE_ENDPOINT", server.url)
        return server

    yield start
    for server in servers:
        server.stop()
