"""``python -m bot`` is the same as ``fsbot``."""

from bot.cli import main

main()
