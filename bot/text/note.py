"""A note on a page with names in it (bot/text/page.py), written in whoever reads the page's
language."""

from __future__ import annotations

from bot.text.reader import _


class Note(str):
    """A note on a page with names in it, such as ``"Bob could not be reached."``: a ``str``
    (the English, so notes compare and dedupe as text) that :func:`page_text` writes again in
    its reader's language. ``template`` is marked with ``N_`` where the note is made."""

    template: str
    fields: dict[str, str]

    def __new__(cls, template: str, **fields: str) -> Note:
        made = super().__new__(cls, template.format(**fields))
        made.template = template
        made.fields = fields
        return made

    def translated(self) -> str:
        """The note in the current reader's language."""
        return _(self.template).format(**self.fields)
