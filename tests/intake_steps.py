"""The report intake as a participant goes through it on a chat platform, one step at a time.

Each step is (action, expected): an action starting with "> " presses the button with that label,
any other is written as a message; then the bot answers with a message containing ``expected``.
The Telegram tests and ``bench/telegram_latency.py`` drive the intake with these steps, up to
the summary; pressing "Send report" is left to them.
"""

from __future__ import annotations

ACCOUNT = "Someone kept following me after I said no."


def intake_steps(
    *,
    contact: str = "> Message me here",
    account: str = ACCOUNT,
    when: str = "> Earlier today",
    where: str = "> At the event venue",
    who: str = "A tall person in a red jacket",
    witnesses: str = "> No one",
    outcome: str = "> Skip",
) -> list[tuple[str, str]]:
    return [
        ("/start", "Only the safety team reads a report"),
        ("> Report something", "are you in danger"),
        ("> No", "Which of these fits best"),
        ("> It happened to me", "How identifiable"),
        ("> Pseudonymous", "How may the safety team contact you"),
        (contact, "In your own words"),
        (account, "Add more if you like"),
        ("> Done", "When did it happen"),
        (when, "Where did it happen"),
        (where, "Who was involved"),
        (who, "connected to the event"),
        ("> A participant", "anyone else see"),
        (witnesses, "anyone on the safety team"),
        ("> Done", "outcome"),
        (outcome, "Here is your report"),
    ]
