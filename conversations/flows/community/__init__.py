"""Flows of the community: topic boards, the library, events and webinars, and publishing to
the library and the calendar (core.community, core.learning)."""
