"""After "Yes, I'm in danger" or "Not sure": nobody has been told yet, and help is one tap away.

The report's first question asks about danger now, but answering it alerts nobody: a report
reaches the team only when it is sent, a dozen questions later. So after "Yes" or "Not sure" the
person reads exactly that, with the team's emergency information, and chooses: "I need help now"
alerts the team at once with what is known so far and their name, so they can be found
(handlers/participant/help_now.py), or they carry on with the report. The draft stays at
:data:`STEP` until
they choose (handlers/participant/intake.py), so a restart asks again.
"""

from __future__ import annotations

from bot.services import rota
from bot.text import phrases as texts
from bot.text.reader import _
from bot.text.richtext import Rich, bold, lines
from bot.uow import Button, UnitOfWork, button

STEP = "danger_help"
ASKED_AFTER = frozenset({"yes", "not_sure"})  # the danger answers that lead here
GO_ON = "go_on"


async def follow_up(uow: UnitOfWork) -> Rich:
    """What the person reads: nobody told yet, the emergency numbers, and the two choices."""
    alerts = (
        _(
            '"I need help now" alerts everyone on duty at once with what you have told me so far,'
            " and your name, so they can find you."
        )
        if await rota.on_duty(uow)
        else _(
            '"I need help now" alerts the whole safety team at once with what you have told me so'
            " far, and your name, so they can find you."
        )
    )
    return lines(
        bold(_("Nobody has been told yet.")),
        texts.emergency_for(uow.team),
        alerts,
        _('Or carry on with the report: nobody is told until you press "Send report".'),
    )


def buttons(intake_button: Button) -> list[Button]:
    """Help first, then carrying on (``intake_button``, built by the intake, is that one)."""
    return [button(_("I need help now"), "help.now", emergency_shown=True), intake_button]
