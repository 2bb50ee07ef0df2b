"""Trunk's post_build hook: cut the wasm into chunks (split.py), then make the folder ready for
static hosting (hosting.py). One hook, because Trunk runs the hooks of a stage all at once."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import hosting  # noqa: E402
import split  # noqa: E402

if __name__ == "__main__":
    sys.exit(split.main() or hosting.main())
