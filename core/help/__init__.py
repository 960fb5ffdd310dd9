"""The help base: questions people ask, answered once, shown in chat (/help, /support) and on
the public site's FAQ. Only what Agora does today belongs here."""
