"""The ``email`` field of an ``[[external]]`` contact: an address the bot may send mail to.

Checked with email-validator (syntax only: the team file is checked offline, so no DNS lookup)
and kept in its normal form (the domain in lowercase, Unicode normalised). A mistake is reported
like every other team-file error, with file, line and field (bot/config/team_errors.py).
"""

from typing import Annotated

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator

__all__ = ["EmailAddress", "normal_email"]


def normal_email(value: str) -> str:
    """``value`` as a deliverable-looking address in its normal form.

    Raises ValueError, in words for whoever edits the team file, when it is not an e-mail
    address (no ``@``, a space, a domain without a dot...). The address itself is repeated only
    as the file gives it: the team file is the team's own, and the error goes to its editor.
    """
    text = value.strip()
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(
            f'{text!r} is not an e-mail address ({error}); write it like "security@example.org"'
        ) from None
    return str(checked.normalized)


EmailAddress = Annotated[str, AfterValidator(normal_email)]
"""An e-mail address in its normal form (see :func:`normal_email`)."""
