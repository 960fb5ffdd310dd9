"""Flows of a person's account: registering and checking the email, the language, the welcome
tour and notification choices, the profile, linking another chat (core.accounts)."""
