"""Slack's file downloads for listing photos and documents: files.info, then url_private."""

from __future__ import annotations

from urllib.parse import urlparse

import httpx
from slack_sdk.web.async_client import AsyncWebClient

MAX_BYTES = 10 * 1024 * 1024


class SlackFileFetcher:
    """Fetches a file a user shared in the DM; the bot token only goes to Slack's own hosts."""

    def __init__(self, client: AsyncWebClient, token: str, api_url: str) -> None:
        self.client = client
        self.token = token
        self.trusted = {urlparse(api_url).hostname or "", "files.slack.com"}

    async def fetch(self, file_id: str) -> bytes:
        info = await self.client.files_info(file=file_id)
        file = info["file"]
        url = str(file.get("url_private_download") or file.get("url_private") or "")
        if urlparse(url).hostname not in self.trusted:
            raise ValueError(f"refusing to send the bot token to {urlparse(url).hostname}")
        async with httpx.AsyncClient(timeout=30, follow_redirects=False) as http:
            response = await http.get(url, headers={"Authorization": f"Bearer {self.token}"})
            response.raise_for_status()
        if len(response.content) > MAX_BYTES:
            raise ValueError("file larger than the limit")
        return response.content
