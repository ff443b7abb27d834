"""python -m publish → the `publish` command."""

from .cli import main

main()
