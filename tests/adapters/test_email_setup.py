"""Setting e-mail up: the team file's ``email`` field, the ``FSB_SMTP_*`` settings, the check
``fsbot doctor`` makes (against a local SMTP server, aiosmtpd), a server that wants a login, and
a server that refuses the bot's own sender."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.smtp import SmtpServerFake, free_port
from pydantic import SecretStr, ValidationError
from test_email import SENDER, VENUE, MailHarness, mail_team

from bot.config.settings import Settings
from bot.config.teamfile import TeamFileError, load_team_file, parse_team_text
from bot.main.mail import email_readiness, mail_messengers, smtp_server
from bot.ports.events import Address, Outbound
from bot.text.richtext import rich

TEAM = """\
[team]
name = "Test team"
timezone = "Europe/Vienna"

[[members]]
id = "alice"
name = "Alice"
roles = ["safety_contact"]

[[external]]
id = "venue"
name = "Venue security"
email = "{email}"
"""


def settings(port: int | None = None, **more: object) -> Settings:
    values: dict[str, object] = {"smtp_tls": "none", **more}
    if port is not None:
        values.update(smtp_host="127.0.0.1", smtp_port=port, smtp_from=SENDER)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def smtp() -> Iterator[SmtpServerFake]:
    server = SmtpServerFake().start()
    yield server
    server.stop()


def test_an_email_in_the_team_file_is_checked_and_kept_in_its_normal_form(
    tmp_path: Path,
) -> None:
    path = tmp_path / "team.toml"
    path.write_text(TEAM.format(email="Security@VENUE.example"), encoding="utf-8")
    (contact,) = load_team_file(path).external
    assert str(contact.email).lower() == VENUE and str(contact.email).endswith("@venue.example")

    for bad in ("security at venue.example", "security@venue", "two@at@venue.example"):
        path.write_text(TEAM.format(email=bad), encoding="utf-8")
        with pytest.raises(TeamFileError) as info:
            load_team_file(path)
        (problem,) = info.value.problems
        assert (problem.line, problem.field) == (13, "external[0].email")
        assert "is not an e-mail address" in problem.message
        assert f"{path}:13: external[0].email:" in str(info.value)


def test_smtp_settings_that_cannot_work_fail_at_start() -> None:
    with pytest.raises(ValidationError, match="FSB_SMTP_FROM must be too"):
        Settings(_env_file=None, smtp_host="smtp.example.org")  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="not an e-mail address"):
        Settings(_env_file=None, smtp_host="smtp.example.org", smtp_from="the bot")  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="together, or neither"):
        settings(2525, smtp_username="bot")
    assert mail_messengers(settings()) == []  # no host: no e-mail platform
    server = smtp_server(settings(2525, smtp_username="bot", smtp_password=SecretStr("pw")))
    assert server is not None and server.connection()["password"] == "pw"
    assert "pw" not in repr(server)


async def test_doctor_says_whether_email_contacts_can_be_reached(smtp: SmtpServerFake) -> None:
    with_email = parse_team_text(TEAM.format(email=VENUE), "team.toml")
    without = parse_team_text(TEAM.replace('email = "{email}"\n', ""), "team.toml")
    nobody_needs_it = await email_readiness(settings(), without)
    assert nobody_needs_it.ok and nobody_needs_it.contacts == ()

    unconfigured = await email_readiness(settings(), with_email)
    assert not unconfigured.ok and unconfigured.contacts == ("venue",)
    assert "FSB_SMTP_HOST is not set" in str(unconfigured.problem)

    answering = await email_readiness(settings(smtp.port), with_email)
    assert answering.ok and answering.problem is None
    assert smtp.mailbox.received == []  # the check sends nothing

    silent = await email_readiness(settings(free_port()), with_email)
    assert not silent.ok and "email connection failed" in str(silent.problem)
    assert VENUE not in str(silent.problem)


# The local server takes a login over a plain connection, as the test wants; aiosmtpd warns.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
async def test_a_server_that_wants_a_login_gets_it() -> None:
    server = SmtpServerFake(auth=("bot", "right-password")).start()
    try:
        team = parse_team_text(TEAM.format(email=VENUE), "team.toml")
        good = settings(server.port, smtp_username="bot", smtp_password=SecretStr("right-password"))
        assert (await email_readiness(good, team)).ok
        bad = settings(server.port, smtp_username="bot", smtp_password=SecretStr("wrong"))
        problem = str((await email_readiness(bad, team)).problem)
        assert "535 login refused" in problem and "wrong" not in problem
        (messenger,) = mail_messengers(good)
        ref = await messenger.send(Outbound(Address("email", VENUE), rich("Hello"), subject="S"))
        assert ref.startswith("<") and len(server.mailbox.to(VENUE)) == 1
    finally:
        server.stop()


async def test_a_refused_sender_holds_email_and_the_leads_hear_it(
    tmp_path: Path, smtp: SmtpServerFake
) -> None:
    smtp.mailbox.sender_reply = "553 5.7.1 Sender address not allowed"
    bot = MailHarness(tmp_path / "held.db", smtp)
    assert bot.config == mail_team()
    await bot.start()
    try:
        code = await bot.file_report()
        await bot.advance(5)  # step 2: the venue, by e-mail: the bot's own sender is refused
        assert bot.mail() == []
        assert bot.outbox_mail() == [("pending", "held: email 553 sender refused")]
        told = bot.platform.last("333").text  # Lena, the lead, on Telegram
        assert "E-mail is not taking the bot's messages" in told
        assert "SMTP settings (FSB_SMTP_*)" in told
        # Nobody is unreachable, and the chain moves on to people it can reach.
        assert code in bot.platform.last("222").text
        smtp.mailbox.sender_reply = None
        await bot.advance(2)  # the platform is tried again
        assert len(bot.mail()) == 1
        assert "E-mail works again." in bot.platform.last("333").text
    finally:
        await bot.stop()
