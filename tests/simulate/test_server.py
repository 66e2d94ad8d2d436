"""The simulator's HTTP server on a real socket: plain answers, validators, bounds, and faults on the wire."""

from __future__ import annotations

from collections.abc import Mapping

import httpx
import pytest
import trio

from ingester.simulate.server import HttpServer, ServerLimits
from ingester.simulate.site import Reply, page_reply
from tests.httpserver import trio_test

BODY = b"<html><body>" + b"x" * 5000 + b"</body></html>"


def respond(target: str, headers: Mapping[str, str], number: int) -> Reply:
    """Answers by path: ``/page`` normally, ``/fault/<delivery>`` with that delivery."""
    if target == "/page":
        return page_reply(BODY, "text/html; charset=utf-8", None, headers)
    delivery = target.removeprefix("/fault/")
    if delivery in {"slow", "hang", "reset", "truncate"}:
        return Reply(status=200, body=BODY, delivery=delivery, chunk_size=1000, chunk_delay=0.01, hang=30.0)  # type: ignore[arg-type]
    return Reply(status=404, body=b"no")


async def serve(nursery: trio.Nursery, limits: ServerLimits | None = None) -> tuple[HttpServer, str]:
    server = HttpServer(respond, limits)
    port = await nursery.start(server.serve, "127.0.0.1", 0)
    return server, f"http://127.0.0.1:{port}"


@trio_test
async def test_pages_are_served_kept_alive_and_revalidated() -> None:
    with trio.fail_after(10):
        async with trio.open_nursery() as nursery:
            server, url = await serve(nursery)
            async with httpx.AsyncClient() as client:
                first = await client.get(url + "/page")
                again = await client.get(url + "/page", headers={"if-none-match": first.headers["etag"]})
                head = await client.head(url + "/page")
                missing = await client.get(url + "/nothing")
                post = await client.post(url + "/page", content=b"x")
            assert (first.status_code, first.content) == (200, BODY)
            assert (again.status_code, again.content) == (304, b"")
            assert (head.status_code, head.content, head.headers["content-length"]) == (200, b"", str(len(BODY)))
            assert (missing.status_code, post.status_code) == (404, 405)
            assert server.requests == 5 and server.by_status[200] == 2
            nursery.cancel_scope.cancel()


@trio_test
async def test_slow_bodies_arrive_whole_and_cut_bodies_and_resets_are_errors() -> None:
    with trio.fail_after(10):
        async with trio.open_nursery() as nursery:
            _, url = await serve(nursery)
            async with httpx.AsyncClient() as client:
                slow = await client.get(url + "/fault/slow")
                assert slow.content == BODY
                with pytest.raises(httpx.RemoteProtocolError):
                    await client.get(url + "/fault/truncate")
                with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
                    await client.get(url + "/fault/reset")
            nursery.cancel_scope.cancel()


@trio_test
async def test_a_hung_request_holds_its_connection_until_the_client_gives_up() -> None:
    with trio.fail_after(10):
        async with trio.open_nursery() as nursery:
            server, url = await serve(nursery)
            async with httpx.AsyncClient(timeout=httpx.Timeout(0.5)) as client:
                with pytest.raises(httpx.ReadTimeout):
                    await client.get(url + "/fault/hang")
            with trio.fail_after(5):
                while server.connections:
                    await trio.sleep(0.01)
            nursery.cancel_scope.cancel()


@trio_test
async def test_bad_and_oversized_requests_close_the_connection_and_the_server_goes_on() -> None:
    limits = ServerLimits(head_bytes=1024, max_connections=2)
    with trio.fail_after(10):
        async with trio.open_nursery() as nursery:
            server, url = await serve(nursery, limits)
            port = int(url.rsplit(":", 1)[1])
            for raw in (
                b"GET /page HTTP/1.1\r\nX: " + b"a" * 4096 + b"\r\n\r\n",
                b"NONSENSE\r\n\r\n",
                b"\x00\xff" * 10 + b"\r\n\r\n",
            ):
                stream = await trio.open_tcp_stream("127.0.0.1", port)
                await stream.send_all(raw)
                assert await stream.receive_some(1000) == b""  # closed without an answer
                await stream.aclose()
            async with httpx.AsyncClient() as client:
                assert (await client.get(url + "/page")).status_code == 200
            assert server.requests == 1
            nursery.cancel_scope.cancel()
