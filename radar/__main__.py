"""``python -m radar``: the same as the ``radar`` command."""

from radar.cli import main

if __name__ == "__main__":
    main()
