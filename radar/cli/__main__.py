"""``python -m radar.cli``: the same as the ``radar`` command (and ``python -m radar``)."""

from radar.cli import main

if __name__ == "__main__":
    main()
