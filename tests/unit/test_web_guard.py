"""The web server's gatekeeping rules, without a server: names, origins and upload tickets."""

from __future__ import annotations

from app.ui.web_guard import UploadTickets, allowed_hosts


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_served_names_are_loopback_and_the_configured_host_with_our_port_only():
    assert allowed_hosts(8550) == {"127.0.0.1:8550", "localhost:8550"}
    assert allowed_hosts(8550, ["192.168.43.1"]) == {"127.0.0.1:8550", "localhost:8550", "192.168.43.1:8550"}
    assert "0.0.0.0:8550" not in allowed_hosts(8550, ["0.0.0.0"])


def test_an_upload_ticket_serves_its_own_client_once():
    tickets = UploadTickets(clock=Clock())
    tickets.issue("client-a", "f1/photo.jpg", 60)
    assert not tickets.claim("client-b", "f1/photo.jpg")     # another browser: refused, ticket kept
    assert not tickets.claim(None, "f1/photo.jpg")
    assert tickets.claim("client-a", "f1/photo.jpg")
    assert not tickets.claim("client-a", "f1/photo.jpg")     # a replay by its own client too


def test_an_upload_ticket_expires_and_an_unissued_name_is_refused():
    clock = Clock()
    tickets = UploadTickets(clock=clock)
    tickets.issue("client-a", "f1/photo.jpg", 60)
    clock.now += 61
    assert not tickets.claim("client-a", "f1/photo.jpg")
    assert not tickets.claim("client-a", "never/issued.jpg")
