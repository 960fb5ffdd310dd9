"""A real CalDAV server for tests: Radicale 3 in a subprocess on 127.0.0.1, its collections in a
temporary folder, with two users (plain-text htpasswd): the consultant, who owns their
calendars, and an assistant, who may read only the free-busy time of anyone's calendars.

    with running_radicale(tmp_path) as radicale:
        calendar_url = make_calendar(radicale, "work", "Work")
        add_event(radicale, calendar_url, ics)
        radicale.stop()   # and radicale.start(): the same server up again (same port, same data)

The helpers set up and read calendars with the caldav library's plain (sync) client, as any
other calendar app would."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import httpx
from caldav.collection import Calendar
from caldav.davclient import DAVClient

from tests.support.servers import free_port

CONSULTANT, ASSISTANT = "consultant", "assistant"
# The first matching rule decides: owners read and write their own calendars, every other
# signed-in user sees only their free-busy time ("f", Radicale 3.6 and later).
RIGHTS = """\
[root]
user: .+
collection:
permissions: R

[principal]
user: .+
collection: {user}
permissions: RW

[own-calendars]
user: .+
collection: {user}/[^/]+
permissions: rw

[free-busy-of-others]
user: .+
collection: [^/]+/[^/]+
permissions: f
"""


@dataclass
class RadicaleServer:
    folder: Path
    port: int = field(default_factory=free_port)
    users: dict[str, str] = field(default_factory=lambda: {CONSULTANT: "app-password-1",
                                                           ASSISTANT: "app-password-2"})
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def username(self) -> str:
        return CONSULTANT

    @property
    def password(self) -> str:
        return self.users[CONSULTANT]

    def home(self, user: str = CONSULTANT) -> str:
        """The user's own collection, where their calendars are."""
        return f"{self.url}{user}/"

    def start(self) -> None:
        """Start the server (again) and wait until it answers."""
        start_server(self)

    def stop(self) -> None:
        """Stop the server; its collections stay in the folder for the next start."""
        stop_server(self)

    def client(self, user: str = CONSULTANT) -> DAVClient:
        """A plain caldav client signed in as `user` (close it: `with server.client() as c`)."""
        return DAVClient(url=self.url, username=user, password=self.users[user], timeout=10)


def start_server(server: RadicaleServer) -> None:
    """Start `server`'s Radicale process (`python -m radicale`) and wait until it answers."""
    config = _write_config(server)
    log = (server.folder / "radicale.log").open("ab")
    server.process = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(config)],
                                      stdout=log, stderr=log)
    log.close()  # the child holds its own copy
    _wait_until_up(server)


def stop_server(server: RadicaleServer) -> None:
    if server.process is None:
        return
    server.process.terminate()
    try:
        server.process.wait(10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(10)
    server.process = None


def _write_config(server: RadicaleServer) -> Path:
    users = server.folder / "users"
    users.write_text("".join(f"{name}:{password}\n" for name, password in server.users.items()))
    rights = server.folder / "rights"
    rights.write_text(RIGHTS)
    config = server.folder / "radicale.conf"
    # `delay = 0`: Radicale waits a second after a wrong password by default, against
    # guessing; the tests sign in wrongly on purpose.
    config.write_text(f"""\
[server]
hosts = 127.0.0.1:{server.port}

[auth]
type = htpasswd
htpasswd_filename = {users}
htpasswd_encryption = plain
delay = 0

[rights]
type = from_file
file = {rights}

[storage]
filesystem_folder = {server.folder / "collections"}

[web]
type = none

[logging]
level = warning
""")
    return config


def _wait_until_up(server: RadicaleServer) -> None:
    deadline = time.monotonic() + 30  # a loaded CI machine imports slowly
    while time.monotonic() < deadline:
        if server.process is None or server.process.poll() is not None:
            break
        try:
            httpx.get(server.url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    stop_server(server)
    log = (server.folder / "radicale.log").read_text(errors="replace")
    raise RuntimeError(f"Radicale did not start on port {server.port}:\n{log[-2000:]}")


@contextmanager
def running_radicale(folder: Path) -> Iterator[RadicaleServer]:
    """A Radicale server keeping its data in `folder`, stopped after the block."""
    folder.mkdir(parents=True, exist_ok=True)
    server = RadicaleServer(folder)
    start_server(server)
    try:
        yield server
    finally:
        stop_server(server)


def make_calendar(server: RadicaleServer, slug: str, name: str,
                  components: tuple[str, ...] = ("VEVENT",)) -> str:
    """Create the consultant's calendar `slug` (MKCALENDAR) named `name`; returns its URL."""
    with server.client() as client:
        calendar = client.principal().make_calendar(
            name=name, cal_id=slug, supported_calendar_component_set=list(components))
    return str(calendar.url)


def add_event(server: RadicaleServer, calendar_url: str, ics: str, name: str | None = None) -> str:
    """Store the raw iCalendar text `ics` in the calendar as `<name>.ics` (by default a fresh
    name, as a calendar app would choose); returns the event's URL."""
    url = f"{calendar_url.rstrip('/')}/{name or f'app-{time.monotonic_ns()}'}.ics"
    with server.client() as client:
        response = client.put(url, ics, {"Content-Type": "text/calendar; charset=utf-8"})
    if response.status not in (200, 201, 204):
        raise RuntimeError(f"Radicale refused the event: {response.status}")
    return url


def events(server: RadicaleServer, calendar_url: str) -> list[Any]:
    """The calendar's events as a caldav client finds them (icalendar components)."""
    with server.client() as client:
        # (the library's dual sync/async signature: a sync client gives the list itself)
        found = cast(list[Any], Calendar(client=client, url=calendar_url).search(event=True))
        return [event.icalendar_component for event in found]


async def connected_in_chat(person: Any, server: RadicaleServer, busy_ics: str) -> str:
    """A "Work" calendar holding `busy_ics`, connected by `person` (a chat user of the tests
    with `say` and `tap`) through /calendar as a consultant does; the calendar's address."""
    work = make_calendar(server, "work", "Work")
    add_event(server, work, busy_ics)
    await person.say("/calendar", "No calendar connected")
    await person.tap("CalDAV", "calendar server")
    await person.say(server.url, "User name")
    await person.say(server.username, "App password")
    await person.say(server.password, "Connected: Work")
    return work
