"""``python -m device``: the same as the ``taqyeem-device`` command."""

from device.cli import main

main()
