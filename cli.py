"""Entry point: ``python cli.py ...`` is the same as the installed ``qa`` command."""

from qa.cli import main

if __name__ == "__main__":
    main()
