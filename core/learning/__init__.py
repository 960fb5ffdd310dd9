"""Learning: a library of reports, guides and consultants' insights by topic, and gatherings —
webinars, trade shows and meetups — with registration (RSVP), calendar invites, reminders, the
join link at the start and the recording afterwards."""
