"""Safe updates of the tablet's own program (contract 1.1, ``DeviceConfig.release``), without Kivy.

- ``version.py``: which version is running (the dist-info beside the running ``device`` package).
- ``layout.py``: the releases folder under the data dir: two slots, the ``current`` link, the records, a lock.
- ``trial.py``: the trial record of a switched version and the pure rule that rolls it back.
- ``download.py``: the HTTPS download that stops at the signed size and checks the SHA-256.
- ``wheel.py``: the checks on a wheel (pure Python, no path outside its folder) and its unpacking.
- ``updater.py``: the kiosk's background thread: take the config's release, install it in the spare
  slot, switch when asked (at rest), confirm once online.
- ``rollback.py``: ``taqyeem-device update-check``, run from the base install by systemd: count
  starts, roll back a version that crashes or does not come online.

docs/deployment.md ("How a tablet updates itself") tells IT the whole story.
"""
