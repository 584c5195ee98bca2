"""The phone page as an ASGI application (Starlette).

Starlette is small, typed and well kept, and ASGI lets uvicorn serve it from a thread of the
desktop app as well as on its own; the services are synchronous, so every request runs in
the server's worker threads. Only the routes below exist: no static folder to list, no
path outside ``/p/<token>/``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from drillplanner.i18n import _
from drillplanner.web import api
from drillplanner.web.signins import COOKIE, LIFETIME
from drillplanner.web.site import MAX_BODY, Call, Link, Reply, Site, json_reply

Handler = Callable[[Call, Link], Reply]

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # The token is in the path: no page may learn it from a Referer.
    "Referrer-Policy": "no-referrer",
}


def _refusal(request: Request) -> Response | None:
    """CSRF and size checks a POST passes before it is read."""
    if request.method != "POST":
        return None
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        # A form on another site cannot send JSON without the browser asking first.
        return _response(json_reply(415, {"error": _("Send JSON.")}))
    origin = request.headers.get("origin")
    if origin is not None and origin.split("://", 1)[-1] != request.headers.get("host"):
        return _response(json_reply(403, {"error": _("Refused: the request came from "
                                                     "another site.")}))
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
        return _response(json_reply(413, {"error": _("The request is too large.")}))
    return None


async def _read(request: Request) -> bytes | None:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    return bytes(body)


def _response(reply: Reply) -> Response:
    response = Response(reply.content, reply.status, media_type=reply.content_type,
                        headers={"Cache-Control": "no-store", **reply.headers})
    if reply.cookie is not None:
        token, session_id = reply.cookie
        path = f"/p/{token}/"
        if session_id is None:
            response.delete_cookie(COOKIE, path=path, httponly=True, samesite="strict")
        else:
            response.set_cookie(COOKIE, session_id, max_age=int(LIFETIME), path=path,
                                httponly=True, samesite="strict")
    return response


def _browser_language(request: Request) -> str:
    """The browser's first language ("zh-CN,zh;q=0.9,en;q=0.8" → "zh-CN")."""
    first = request.headers.get("accept-language", "").split(",")[0]
    return first.split(";")[0].strip() or "en"


def _endpoint(choose: Callable[[Site], Handler], *, navigated: bool = False
              ) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        site: Site = request.app.state.site
        refused = _refusal(request)
        if refused is not None:
            return refused
        body = b""
        if request.method == "POST":
            read = await _read(request)
            if read is None:
                return _response(json_reply(413, {"error": _("The request is too large.")}))
            body = read
        call = Call(token=request.path_params["token"],
                    client=request.client.host if request.client else "",
                    language=request.headers.get("x-language", ""),
                    session_id=request.cookies.get(COOKIE), body=body,
                    browser_language=_browser_language(request) if navigated else None)
        reply = await run_in_threadpool(site.answer, choose(site), call)
        return _response(reply)
    return endpoint


class _SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(k.lower().encode(), v.encode())
                            for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)
        await self.app(scope, receive, with_headers)


def build_app(site: Site) -> Starlette:
    """The ASGI app serving ``site``."""
    page = "/p/{token}/"
    routes = [
        Route(page, _endpoint(lambda s: s.page, navigated=True), methods=["GET"]),
        Route(page + "page.js", _endpoint(lambda s: s.asset("page.js")), methods=["GET"]),
        Route(page + "page.css", _endpoint(lambda s: s.asset("page.css")), methods=["GET"]),
        Route(page + "state", _endpoint(lambda s: _bound(api.state, s)), methods=["GET"]),
        Route(page + "headcounts", _endpoint(lambda s: _bound(api.record, s)),
              methods=["POST"]),
        Route(page + "verify", _endpoint(lambda s: _bound(api.verify, s)), methods=["POST"]),
        Route(page + "signin", _endpoint(lambda s: _bound(api.sign_in, s)), methods=["POST"]),
        Route(page + "signout", _endpoint(lambda s: _bound(api.sign_out, s)),
              methods=["POST"]),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(_SecurityHeaders),
                                               Middleware(GZipMiddleware, minimum_size=1024)])
    app.state.site = site
    return app


def _bound(handler: Callable[[Site, Call, Link], Reply], site: Site) -> Handler:
    return lambda call, link: handler(site, call, link)
