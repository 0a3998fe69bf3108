"""Looking after the desks: their broker accounts, their retained config, enrolment and sites.toml.

One module per thing::

    errors.py            the error tree of this package (its docstring draws it)
    broker.py            mosquitto's password file and the accounts in it (``PasswordFileAdmin``)
    config_publisher.py  a desk's retained DeviceConfig (``RetainedConfigPublisher``)
    enrolment.py         what a tablet needs to join: the bundle folder and its QR code
    provisioning.py      provision, replace, revoke; register and account at a bridged centre
    sites.py             sites, sections and desks from one TOML file (``sites apply``)
    staff.py             the employees a desk's config lists (``staff``), republished when they change
    registry.py          the employee registry: entries, plan, apply (file, CSV, API), PINs
    registry_csv.py      the HR export's CSV, read strictly, errors naming the line
    release_wheels.py    a release's wheel checked, hashed, signed and kept; the signing key made
    releases.py          the release a device's config carries: its target, download link and token
    rollout.py           roll-out and stop per desk, site or fleet: the stages, then the configs republished

These modules may import ``collector.store`` and ``shared``; they never import
the CLI, the web app or the ingest path, and never ``device`` (the tablet's side).
"""
