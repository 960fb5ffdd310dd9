"""The fonts Agora's PDF documents are set in (see subset.py for how they were cut)."""
