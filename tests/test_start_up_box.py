"""What `agora serve` says once started stands out: the box names the site, the console and
the demo data, and the scheduler does not log each run of each job around it."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from bots.scheduler import build_scheduler
from tests.support.servers import free_port
from tests.support.terminal import serving


def test_the_start_up_box_names_the_site_the_console_recipe_and_the_demo_seed(tmp_path):
    port = free_port()
    with serving(tmp_path, port) as printed:
        pass
    box = printed[0][printed[0].index("┌"):]
    assert f"Web site: http://127.0.0.1:{port}/" in box
    assert "agora demo seed" in box
    assert f"Operator console: http://127.0.0.1:{port}/admin" in box
    assert "AGORA_ADMINS=terminal:root" in box and "agora chat --as root" in box
    assert "/console" in box


async def test_a_scheduler_tick_logs_nothing_at_info_but_a_failing_job_shows(app, caplog):
    caplog.set_level(logging.INFO)
    ran = asyncio.Event()

    async def tick() -> None:
        ran.set()

    async def broken() -> None:
        raise RuntimeError("the job broke")

    scheduler = build_scheduler(app)
    scheduler.start()
    try:
        scheduler.modify_job("outbox-sweep", next_run_time=datetime.now(UTC))
        scheduler.add_job(broken, id="broken")
        scheduler.add_job(tick, id="tick")
        await asyncio.wait_for(ran.wait(), 10)
        await asyncio.sleep(0.3)
    finally:
        scheduler.shutdown(wait=False)
    ours = [r for r in caplog.records if r.name.startswith("apscheduler")]
    assert [r for r in ours if r.levelno < logging.WARNING] == []
    assert any(r.levelno == logging.ERROR and "broken" in r.getMessage() for r in ours)
