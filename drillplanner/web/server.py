"""Serving the phone page while a drill runs: uvicorn on a background thread, bound only
from the moment the commander turns phones on until shortly after the all clear (or
cancel), which it notices by itself within a second; meanwhile every request is refused."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import Callable

import uvicorn

from drillplanner.domain.changes import Changes
from drillplanner.domain.drill_runs import RunStatus
from drillplanner.domain.errors import ConflictError, DrillplannerError
from drillplanner.domain.permissions import Op, PermissionDenied
from drillplanner.i18n import _
from drillplanner.services import drills, phone_links
from drillplanner.services.authorization import refusal_for
from drillplanner.services.database import Database
from drillplanner.web.app import build_app
from drillplanner.web.site import Site

log = logging.getLogger(__name__)

#: How often the server looks whether the drill is still running.
WATCH_SECONDS = 0.5
#: How long after the all clear (or cancel) the page still answers, refusing everything
#: with "the drill is over", so a phone says so instead of "no connection"; then the
#: server closes its port.
CLOSING_GRACE = 60.0
_START_TIMEOUT = 10.0


class PortInUse(DrillplannerError):  # noqa: N818 - reads as what happened
    """The address the page should be served at is taken (or not this computer's)."""


class PhoneServer:
    """The phone page of one drill run, served from a daemon thread."""

    def __init__(self, db: Database, run_id: int, *, host: str = "0.0.0.0",
                 port: int = phone_links.DEFAULT_PORT,
                 on_change: Callable[[Changes], None] | None = None,
                 on_stop: Callable[[], None] | None = None,
                 closing_grace: float | None = None) -> None:
        self.db = db
        self.closing_grace = CLOSING_GRACE if closing_grace is None else closing_grace
        self.run_id = run_id
        self.host = host
        self.port = port
        self.on_change = on_change
        self.on_stop = on_stop
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._links: phone_links.DrillLinks | None = None
        self._base = ""

    # Starting and stopping ----------------------------------------------------------------

    def start(self) -> None:
        """Bind and serve; returns once the page answers.

        Raises:
            ConflictError: the drill is not running.
            PermissionDenied: the user signed in may not run the drill.
            PortInUse: the port is taken.
        """
        if self.running:
            return
        refusal = refusal_for(self.db, Op.RUN_DRILL, {"run_id": self.run_id})
        if refusal is not None:
            raise PermissionDenied(refusal)
        if drills.get_run(self.db, self.run_id).status is not RunStatus.IN_PROGRESS:
            raise ConflictError(_("Phones can report only while the drill runs."))
        self._links = phone_links.drill_links(self.db, self.run_id)
        site = Site(self.db, self._links, on_change=self.on_change)
        listener = self._bind()
        self.port = listener.getsockname()[1]
        self._base = phone_links.base_url(self.host, self.port)
        config = uvicorn.Config(build_app(site), log_config=None, access_log=False,
                                lifespan="off", ws="none", timeout_graceful_shutdown=2,
                                server_header=False)
        self._server = uvicorn.Server(config)
        self._stopping.clear()
        self._thread = threading.Thread(target=self._serve, args=(listener,),
                                        name="drillplanner-phones", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise PortInUse(_("The phone page could not start on port {port}.").format(
                    port=self.port))
            time.sleep(0.01)
        threading.Thread(target=self._watch, name="drillplanner-phones-watch",
                         daemon=True).start()
        log.info("phone page served on %s:%d for run %d", self.host, self.port, self.run_id)

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind((self.host, self.port))
            listener.listen(128)
        except OSError as error:
            listener.close()
            raise PortInUse(_(
                "Port {port} is in use (another drillplanner serving phones, or another "
                "program): stop it or choose another port ({reason}).").format(
                    port=self.port, reason=error.strerror or error)) from error
        return listener

    def _serve(self, listener: socket.socket) -> None:
        assert self._server is not None
        try:
            asyncio.run(self._server.serve(sockets=[listener]))
        except Exception:
            log.exception("the phone page stopped on an error")
        finally:
            listener.close()
            self._stopping.set()
            if self.on_stop is not None:
                self.on_stop()

    def _watch(self) -> None:
        """Close the page at the all clear or cancel, whoever gave it and wherever."""
        while not self._stopping.wait(WATCH_SECONDS):
            try:
                status = drills.get_run(self.db, self.run_id).status
            except DrillplannerError:
                continue  # a busy database: look again
            if status is not RunStatus.IN_PROGRESS:
                log.info("run %d is %s: the phone page closes in %.0f s", self.run_id,
                         status.value, self.closing_grace)
                if not self._stopping.wait(self.closing_grace):
                    self._ask_to_stop()
                return

    def _ask_to_stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True

    def stop(self) -> None:
        """Stop serving (nothing happens when it is not running)."""
        self._ask_to_stop()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=10)
        self._thread = None

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the page has closed; False when ``timeout`` ran out first."""
        return self._stopping.wait(timeout)

    # What it serves -------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def url(self) -> str:
        """The drill's page, with its token."""
        if self._links is None:
            raise ConflictError(_("The phone page is not started."))
        return phone_links.page_url(self._base, self._links.drill_token)

    def class_urls(self) -> dict[int, str]:
        """Each class's page (class id → URL) on this server."""
        if self._links is None:
            raise ConflictError(_("The phone page is not started."))
        return {class_id: phone_links.page_url(self._base, token)
                for class_id, token in self._links.class_tokens.items()}
