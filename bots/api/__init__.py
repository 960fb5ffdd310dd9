"""The versioned REST API for companies' own systems (`/api/v1`): another channel, like the
chat and the Mini App — it translates HTTP into core's services and core decides."""
