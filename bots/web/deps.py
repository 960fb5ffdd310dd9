"""What a web route may ask for, typed: the app's container, its settings, the payments
service, the file store, the running Slack channel. Every router is a module-level
`APIRouter` whose routes declare these as parameters (`container: ContainerDep`); the server
puts the container on `app.state` once, in `bots.server.create_app`, and `get_container` is
the one reader of it there."""

from __future__ import annotations

from typing import Annotated, Protocol

from fastapi import Depends, HTTPException, Request

from config.container import Container
from config.settings import Settings
from core.catalog.media import FileStore
from payments.service import PaymentsService


def get_container(request: Request) -> Container:
    """The container of the app serving this request."""
    container: Container = request.app.state.container
    return container


async def _container(request: Request) -> Container:
    # The dependencies here are `async def`, though none awaits: FastAPI runs a plain `def`
    # dependency in its thread pool, a trip to another thread on every request for a lookup.
    return get_container(request)


ContainerDep = Annotated[Container, Depends(_container)]


async def get_settings(container: ContainerDep) -> Settings:
    return container.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_payments(container: ContainerDep) -> PaymentsService:
    """The payments service (the composition root always wires one)."""
    if container.payments is None:
        raise RuntimeError("the container has no payments service")
    return container.payments


PaymentsDep = Annotated[PaymentsService, Depends(get_payments)]


async def get_files(container: ContainerDep) -> FileStore:
    """Where uploaded photos and documents are kept (wired by the composition root)."""
    files = container.engine.services.files
    if files is None:
        raise RuntimeError("the container has no file store")
    return files


FilesDep = Annotated[FileStore, Depends(get_files)]


class OpensLinks(Protocol):
    """A chat channel that can open a deep link in a person's DM (the Slack channel)."""

    async def open_link(self, team_id: str, user_id: str, payload: str, event_id: str) -> None: ...


async def get_slack_channel(request: Request) -> OpensLinks:
    """The running Slack channel; a 404 on a server that does not run it (its routes are only
    mounted where it runs, so this is a guard, not a path)."""
    slack: OpensLinks | None = getattr(request.app.state, "slack_channel", None)
    if slack is None:
        raise HTTPException(status_code=404)
    return slack


SlackChannelDep = Annotated[OpensLinks, Depends(get_slack_channel)]
