"""``python -m hcode``."""

from hcode.entry import main

if __name__ == "__main__":
    main()
