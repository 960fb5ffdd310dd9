"""The `agora` command: serve, chat, db upgrade."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from typing import Annotated, Any

import typer

from bots.cli_support import (
    boxed,
    database_notice,
    describe_database,
    forget_serving,
    loading_the_application,
    record_serving,
    same_data_as_serve,
    settings_or_exit,
    start_up_lines,
)
from bots.outbound import outbound
from bots.payments_cli import payments_cli

cli = typer.Typer(help="Agora — a chat-native marketplace for bioenergy and consultants.",
                  no_args_is_help=True, add_completion=False)
db_cli = typer.Typer(help="Database commands.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(payments_cli, name="payments")
demo_cli = typer.Typer(help="Demo data.", no_args_is_help=True)
cli.add_typer(demo_cli, name="demo")



@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help=(
        "Worker processes on this port (PostgreSQL needed beyond 1; Redis recommended)."))] = 1,
) -> None:
    """Run the server: webhooks, Telegram polling or Slack Socket Mode, outbox and scheduler."""
    with loading_the_application():
        import uvicorn

        from bots.worker_app import (
            LOG_FORMAT,
            assemble,
            several_workers_notes,
            several_workers_problem,
            uvicorn_options,
        )
        from core.storage.schema import upgrade

    settings = settings_or_exit().served_at(host, port)
    problem = several_workers_problem(settings, workers)
    if problem:
        typer.echo(f"Cannot start {workers} workers: {problem}", err=True)
        raise typer.Exit(2)
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    asyncio.run(upgrade(settings.database_url))  # once, before any worker starts
    lines = start_up_lines(settings, host, port) + _fit_the_pool(settings, workers)
    if workers > 1:
        lines += [f"{workers} worker processes; one of them runs the timed jobs."]
        lines += several_workers_notes(settings, workers)
        typer.echo(boxed(lines))
        os.environ["AGORA_PUBLIC_URL"] = settings.public_url  # each worker reads the environment
        uvicorn.run("bots.worker_app:create", host=host, port=port, **uvicorn_options(workers))
        return
    app, channels = assemble(settings)
    if not channels:
        lines += ["No Telegram or Slack tokens set. Chat with Agora in another terminal:",
                  "    agora chat --as yourname"]
    config = uvicorn.Config(app, host=host, port=port, log_level="info")
    _announcing_server()(config, lines, settings).run()


def _fit_the_pool(settings: Any, workers: int) -> list[str]:
    """On PostgreSQL, each worker's pool made small enough that every worker's connections fit
    in the server's (the line saying so when it had to be)."""
    if not settings.database_url.startswith("postgresql"):
        return []
    from bots import connection_budget

    fitted = asyncio.run(connection_budget.budget(settings.database_url, workers,
                                                  settings.database_pool_size))
    settings.database_pool_size = fitted.pool_size
    os.environ["AGORA_DATABASE_POOL_SIZE"] = str(fitted.pool_size)  # each worker reads it
    return connection_budget.notice(fitted, workers)


def _announcing_server() -> Any:
    import uvicorn

    class AnnouncingServer(uvicorn.Server):
        """Says how to use Agora once started: after the start-up logs, not lost among them;
        notes its database while it runs, for `agora chat` started in another folder."""

        def __init__(self, config: Any, lines: list[str], settings: Any) -> None:
            super().__init__(config)
            self.lines, self.settings = lines, settings

        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets)
            if self.started:
                record_serving(self.settings)
                typer.echo(boxed(self.lines))

        async def shutdown(self, sockets: Any = None) -> None:
            forget_serving()
            await super().shutdown(sockets)

    return AnnouncingServer


@cli.command()
def chat(
    name: Annotated[str, typer.Option("--as", help="Your name in this terminal chat.")],
    lang: Annotated[str | None, typer.Option(
        "--lang", help="The language to chat in before registering (en, de, pl, lv, lt, et, fi, "
                       "sv, fr); by default the terminal's (LANG). Later: /language.")] = None,
) -> None:
    """Chat with Agora in this terminal (no tokens needed; same database as `agora serve`)."""
    with loading_the_application():
        from bots.terminal import TerminalChat, show_emails_in, terminal_language
        from config.container import build
        from core.i18n import LANGUAGES, language_of
        from core.storage.schema import upgrade

    if lang and language_of(lang) == "en" and not lang.strip().lower().startswith("en"):
        typer.echo(f"Unknown language {lang!r}: use one of {', '.join(LANGUAGES)}.", err=True)
        raise typer.Exit(2)
    language = terminal_language(lang, os.environ)

    settings, served = same_data_as_serve(settings_or_exit())
    logging.basicConfig(level=logging.ERROR)
    show_emails_in(sys.stdout)
    typer.echo(f"Database: {describe_database(settings.database_url)} — the one `agora serve` "
               "is using." if served else database_notice(settings.database_url))

    async def run() -> None:
        await upgrade(settings.database_url)
        container = build(settings, **outbound(settings))
        try:
            await container.seed_operators()
            await TerminalChat(container, name.strip()[:64], sys.stdin, sys.stdout,
                               language).run()
        finally:
            await container.close()

    asyncio.run(run())


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply all database migrations."""
    from core.storage.schema import upgrade

    settings = settings_or_exit()
    asyncio.run(upgrade(settings.database_url))
    typer.echo(f"Database is up to date: {settings.database_url}")


def main() -> None:
    cli()


@demo_cli.command("seed")
def demo_seed(
    count: Annotated[int, typer.Option(help="How many listings.")] = 240,
) -> None:
    """Load a realistic demo catalogue (sellers with ratings, listings across Europe)."""
    with loading_the_application():
        from bots.demo import seed
        from bots.demo_index import publish_demo_weeks
        from config.container import build
        from core.catalog.media import FileStore
        from core.storage.schema import upgrade

    settings = settings_or_exit()

    async def run() -> int:
        await upgrade(settings.database_url)
        container = build(settings, **outbound(settings))
        try:
            await container.seed_operators()
            async with container.uow() as uow:
                made = await seed(uow, FileStore(settings.data_dir), count=count)
                await uow.commit()
            if made:  # the indices' demo weeks shown at once, not at the weekly job's next run
                await publish_demo_weeks(container.uow)
            return made
        finally:
            await container.close()

    made = asyncio.run(run())
    typer.echo(f"Seeded {made} listings." if made else "Demo data is already there.")


if __name__ == "__main__":  # python -m bots.cli, as the `agora` script
    main()
