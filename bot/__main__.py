"""``python -m bot`` is the same as ``fsbot``."""

from bot.main.cli import main

main()
