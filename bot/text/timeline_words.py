"""What each kind of audit entry is called in a case's timeline (``/case``), in the reader's
language. A kind not listed reads as its name with spaces (``"wait expired"``)."""

from __future__ import annotations

from bot.text.reader import N_, _

KIND_WORDS = {
    "opened": N_("opened"),
    "paged": N_("paged"),
    "page_skipped": N_("page skipped"),
    "acknowledged": N_("acknowledged"),
    "viewed": N_("viewed"),
    "note": N_("note"),
    "state_changed": N_("state changed"),
    "severity_changed": N_("severity changed"),
    "escalated": N_("escalated"),
    "made_critical": N_("made critical"),
    "replied": N_("replied"),
    "recused": N_("recused"),
    "took_over": N_("took over"),
    "task_added": N_("task added"),
    "task_done": N_("task done"),
    "task_reminder": N_("task reminder"),
    "handoff": N_("handoff"),
    "handoff_asked": N_("handoff asked"),
    "handoff_declined": N_("handoff declined"),
    "externals_told": N_("externals told"),
    "closing_message": N_("closing message"),
    "closing_message_skipped": N_("closing message skipped"),
    "alert_raised": N_("alert raised"),
    "alert_acknowledged": N_("alert acknowledged"),
    "asked_to_talk": N_("asked to talk"),
    "said_safe_now": N_("said safe now"),
    "said_pressed_by_mistake": N_("said pressed by mistake"),
    "checkin_sent": N_("checkin sent"),
    "checkin_ok": N_("checkin ok"),
    "statement_reporter": N_("statement reporter"),
    "statement_reported": N_("statement reported"),
    "statement_witness": N_("statement witness"),
    "register_linked": N_("register linked"),
    "idle_reminder": N_("idle reminder"),
    "chain_exhausted": N_("chain exhausted"),
}


def kind_words(kind: str) -> str:
    """An audit entry's kind as a timeline shows it: ``"state changed"``, ``"estado cambiado"``."""
    return _(KIND_WORDS[kind]) if kind in KIND_WORDS else kind.replace("_", " ")
