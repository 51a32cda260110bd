"""E-mail to external contacts, through the real aiosmtplib to a local SMTP server (aiosmtpd)
that the tests start: handoffs, escalation steps and critical alerts arrive with the case code
in the subject and only what the chat message would carry; 4xx is retried, 5xx moves the chain
on like a chat platform's 403."""

from __future__ import annotations

import io
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from fakes.smtp import SmtpServerFake
from support import Harness
from test_log_safety import restore_logging  # noqa: F401 (a fixture)

from adapters.email.messenger import SmtpMessenger
from adapters.email.server import SmtpServer
from bot.config.teamfile import TeamFile, parse_team_text
from bot.main.app import BotApp
from bot.runtime import logsafety

VENUE = "security@venue.example"
SENDER = "safety-bot@event.example"
ACCOUNT = "He followed me to the hotel after I said no twice."
WHO = "Tall man with a lanyard of the conference next door"

# The tests' clock starts at 2027-08-11T10:00Z, during Alice's shift. Step 2 is the venue's
# security team alone, by e-mail, so that its refusal leaves nobody on the step.
MAIL_TEAM = """\
[team]
name = "Mail test team"
timezone = "UTC"
event_start = 2027-08-10T08:00:00
event_end = 2027-08-14T22:00:00
emergency_info = "Venue security: 0100 200 300."

[channels]
telegram = -100500

[[members]]
id = "alice"
name = "Alice"
roles = ["safety_contact"]
telegram = 111

[[members]]
id = "bob"
name = "Bob"
roles = ["safety_contact"]
telegram = 222

[[members]]
id = "lena"
name = "Lena"
roles = ["lead"]
telegram = 333

[[rota]]
member = "alice"
start = 2027-08-11T08:00:00
end = 2027-08-11T18:00:00

[escalation]
steps = [
  { notify = ["on_duty"], wait = "5s" },
  { notify = ["external:venue"], wait = "5s" },
  { notify = ["safety_contacts"], wait = "5s" },
]
repeat = 1
critical_repeat = "2m"

[[external]]
id = "venue"
name = "Venue security"
email = "security@venue.example"
"""


def mail_team(step_two: str = '"external:venue"') -> TeamFile:
    text = MAIL_TEAM.replace('["external:venue"]', f"[{step_two}]")
    return parse_team_text(text, "mail.toml")


class MailHarness(Harness):
    """The bot on a recorded Telegram, with e-mail through the local SMTP server."""

    def __init__(self, path: Path, smtp: SmtpServerFake, config: TeamFile | None = None) -> None:
        self.smtp = smtp
        super().__init__(path, config=config or mail_team(), platform="telegram")

    def _build(self) -> BotApp:
        server = SmtpServer(
            host="127.0.0.1", port=self.smtp.port, sender=SENDER, security="none", timeout=5
        )
        return BotApp(
            database=self.path,
            config=self.config,
            key=self.key,
            messengers=[self.platform, SmtpMessenger(server)],
            clock=self.clock,
        )

    def mail(self) -> list[EmailMessage]:
        return self.smtp.mailbox.to(VENUE)

    def outbox_mail(self) -> list[tuple[str, str | None]]:
        """(status, last_error) of every e-mail row, as the outbox recorded them."""
        with sqlite3.connect(self.path) as conn:
            rows = conn.execute(
                "SELECT status, last_error FROM outbox WHERE platform = 'email' ORDER BY id"
            )
            return [(str(status), error) for status, error in rows]


@pytest.fixture
def smtp() -> Iterator[SmtpServerFake]:
    server = SmtpServerFake().start()
    yield server
    server.stop()


@pytest.fixture
async def bot(tmp_path: Path, smtp: SmtpServerFake) -> AsyncIterator[MailHarness]:
    harness = MailHarness(tmp_path / "mail.db", smtp)
    await harness.start()
    yield harness
    await harness.stop()


def body(mail: EmailMessage) -> str:
    part = mail.get_body(("plain",))
    assert part is not None and mail.get_content_type() == "text/plain"
    return str(part.get_content())


async def _taken(bot: MailHarness) -> str:
    code = await bot.file_report(account=ACCOUNT, who_text=WHO, disclosure="Named")
    await bot.press("111", "Acknowledge")
    return code


async def test_a_handoff_arrives_by_email_with_only_what_was_ticked(bot: MailHarness) -> None:
    code = await _taken(bot)
    await bot.say("111", f"/handoff {code} venue Please watch the side entrance")
    await bot.press("111", "Send to Venue security")
    assert bot.last_text("111").startswith("Sent to Venue security")
    (mail,) = bot.mail()
    assert code in str(mail["Subject"]) and "Mail test team" in str(mail["Subject"])
    assert mail["From"] == SENDER and mail["Auto-Submitted"] == "auto-generated"
    text = body(mail)
    assert code in text and "Please watch the side entrance" in text
    assert ACCOUNT not in text and WHO not in text and "Sam" not in text  # nothing ticked

    # The account goes only when the handler ticks it and the reporter agrees.
    await bot.say("111", f"/handoff {code} venue Please keep him out of the venue")
    await bot.press("111", "What happened")
    await bot.press("111", "Send to Venue security")
    assert len(bot.mail()) == 1  # waiting for the reporter's yes
    await bot.press("sam", "Yes, share it")
    assert len(bot.mail()) == 2
    shared = body(bot.mail()[1])
    assert ACCOUNT in shared and code in str(bot.mail()[1]["Subject"])
    assert WHO not in shared and "Sam" not in shared  # not ticked: not sent
    assert bot.outbox_mail() == [("sent", None), ("sent", None)]


async def test_an_escalation_step_emails_the_external_contact(bot: MailHarness) -> None:
    code = await bot.file_report(account=ACCOUNT, who_text=WHO)
    assert bot.mail() == []  # step 1: the contact on duty
    await bot.advance(5)  # step 2: the venue, by e-mail
    (mail,) = bot.mail()
    assert code in str(mail["Subject"])
    text = body(mail)
    assert f"Mail test team asks for your help with case {code}" in text
    assert ACCOUNT not in text and WHO not in text
    assert any(k == "external_notified" for _, k, _ in await bot.audit(code))
    assert bot.smtp.mailbox.envelopes == [(SENDER, [VENUE])]


async def test_a_critical_assessment_emails_the_external_contacts(bot: MailHarness) -> None:
    code = await _taken(bot)
    await bot.say("111", f"/severity {code} critical")
    assert "Told: Venue security." in bot.last_text("111")
    (mail,) = bot.mail()
    assert code in str(mail["Subject"])
    text = body(mail)
    assert f"case {code} is assessed as critical" in text and "Please contact Alice" in text
    assert ACCOUNT not in text and WHO not in text


@pytest.mark.usefixtures("restore_logging")
async def test_a_temporary_refusal_is_retried_then_delivered(bot: MailHarness) -> None:
    written = io.StringIO()
    logsafety.configure(logging.DEBUG, [], stream=written)
    bot.smtp.mailbox.refuse(VENUE, "451 4.7.1 Greylisted, try again later", times=1)
    code = await bot.file_report(account=ACCOUNT, who_text=WHO)
    await bot.advance(5)  # step 2: refused once
    assert bot.mail() == [] and bot.smtp.mailbox.refused == 1
    assert bot.outbox_mail() == [("pending", "email 451 recipient deferred")]
    await bot.advance(2)  # the backoff
    (mail,) = bot.mail()
    assert code in str(mail["Subject"])
    assert bot.outbox_mail() == [("sent", "email 451 recipient deferred")]
    kinds = [k for _, k, _ in await bot.audit(code)]
    assert "page_skipped" not in kinds  # a temporary refusal does not move the chain
    # Never an address or a word of the report in the logs, ours or a library's.
    logged = written.getvalue()
    assert "email 451 recipient deferred" in logged  # what failed, by its code
    assert VENUE not in logged and "venue.example" not in logged and ACCOUNT not in logged


async def test_a_permanent_refusal_is_recorded_and_the_chain_moves_on(bot: MailHarness) -> None:
    bot.smtp.mailbox.refuse(VENUE, "550 5.1.1 No such user here")
    code = await bot.file_report(account=ACCOUNT, who_text=WHO)
    await bot.advance(5)  # step 2: the venue's address is refused for good
    assert bot.mail() == [] and bot.smtp.mailbox.refused == 1
    assert bot.outbox_mail() == [("failed", "email 550 recipient refused")]
    # Like a page to someone who blocked the bot: step 3 at once, saying who was not reached.
    bob = bot.platform.last("222").text
    assert code in bob and "Venue security could not be reached." in bob
    skipped = [d for _, k, d in await bot.audit(code) if k == "page_skipped"]
    assert skipped and skipped[0]["external"] == "venue"
    # The next round skips the refused address at once and does not write to it again.
    await bot.advance(5)  # round 2, step 1
    pages_to_bob = len(bot.platform.chat("222"))
    await bot.advance(5)  # round 2, step 2: nobody reachable, so step 3 at once
    assert bot.smtp.mailbox.refused == 1 and len(bot.outbox_mail()) == 1
    assert len(bot.platform.chat("222")) == pages_to_bob + 1


async def test_a_refused_address_leaves_the_chain_where_someone_else_was_paged(
    tmp_path: Path, smtp: SmtpServerFake
) -> None:
    smtp.mailbox.refuse(VENUE, "550 5.1.1 No such user here")
    bot = MailHarness(tmp_path / "shared.db", smtp, mail_team('"member:lena", "external:venue"'))
    await bot.start()
    try:
        code = await bot.file_report(account=ACCOUNT, who_text=WHO)
        await bot.advance(5)  # step 2: Lena and the venue; the venue's address is refused
        assert bot.outbox_mail() == [("failed", "email 550 recipient refused")]
        assert code in bot.platform.last("333").text  # Lena has her page
        assert bot.platform.chat("222") == []  # so the chain waits for her, as it would
        assert any(k == "page_skipped" for _, k, _ in await bot.audit(code))
        await bot.advance(5)  # nobody acknowledged: step 3
        assert code in bot.platform.last("222").text
    finally:
        await bot.stop()
