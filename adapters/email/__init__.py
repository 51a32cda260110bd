"""E-mail: an outbound-only platform for ``[[external]]`` contacts (aiosmtplib over SMTP)."""
