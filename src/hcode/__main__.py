"""``python -m hcode``."""

from hcode.cli import main

if __name__ == "__main__":
    main()
