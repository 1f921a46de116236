"""``python -m orgsim``: the same as the ``orgsim`` command, without installing a script."""

from orgsim.cli import main

if __name__ == "__main__":
    main(prog_name="orgsim")
