"""What the app is built from: one frozen record, ``AppDeps``, kept on ``app.state.deps``.

The service (collector/service.py:make_server), the demo, the benchmarks and the tests
each build one and hand it to collector/app.py:create_app. Routes read it through
collector/access.py:app_deps (typed; ``DepsDep`` as a FastAPI dependency), never
``app.state`` loosely. Built from the store and the settings, it also holds what the
app derives from them once (the centres' calendar, the admins' alerts, the comments'
retention) and the app's own limit of wrong enrolment codes per address.

The live feed is the pages' (collector/web/live_feed.py, a thread-safe fan-out that
imports nothing of the collector); this module is wiring, like app.py, so
tests/collector/test_layout.py lets it name a class of the pages' side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import paho.mqtt.client as mqtt

from collector.alerts.to_admins import AdminAlerts
from collector.fleet.config_publisher import ConfigPublisher
from collector.fleet.enrol_codes import WrongCodes
from collector.ingest.batch_records import StoredBatch
from collector.ingest.write_health import WriteHealth
from collector.reports.maths import Calendar
from collector.settings import CollectorSettings, RetentionSettings
from collector.store import Store
from collector.web.live_feed import LiveFeed


class RunningIngest(Protocol):
    """What the app uses of the service's ingest (collector/ingest/subscriber.py:Ingest)."""

    @property
    def health(self) -> WriteHealth: ...  # the writer's state: /healthz, and the write guard

    @property
    def connected(self) -> bool: ...

    @property
    def writing(self) -> bool: ...

    @property
    def stats(self) -> dict[str, Any]: ...

    def queue_depth(self) -> int: ...

    @property
    def client(self) -> mqtt.Client: ...  # the collector's MQTT connection: a visit's Invites

    @property
    def config_publisher(self) -> ConfigPublisher: ...  # desks' retained configs (employees, PINs)


@dataclass(frozen=True)
class AppDeps:
    """The app's dependencies. Only ``store`` is required: tests build the app on a throwaway database.

    ``settings``: None gives the defaults (no public_url: visits get no rating link).
    ``live_feed``: where the pages' live events come from; the service passes the one its alert
    dispatcher feeds (without, the pages get no live events).
    ``ingest``: the running ingest, whose state /healthz reports and whose connection sends
    Invites and configs (None: no broker link, e.g. tests of the pages).
    ``announce``: what hears of a rating stored through the API (``POST /api/v1/ratings``) or a
    rating link, as ingest's own batches are heard: the service passes
    collector/ingest/subscriber.py:Ingest.announce. Without one, such ratings raise no alerts.
    """

    store: Store
    settings: CollectorSettings | None = None
    live_feed: LiveFeed = field(default_factory=LiveFeed)
    ingest: RunningIngest | None = None
    announce: Callable[[StoredBatch], None] | None = None
    calendar: Calendar = field(init=False)  # the centres' local day and opening hours (reports, pages)
    admin_alerts: AdminAlerts = field(init=False)  # a user name under sign-in attack
    retention_days: int = field(init=False)  # how long comments are kept (/healthz)
    wrong_codes: WrongCodes = field(init=False, default_factory=WrongCodes)  # per address, this app's

    def __post_init__(self) -> None:
        settings = self.settings
        calendar = Calendar.from_settings(
            *(() if settings is None else (settings.timezone, settings.open_hours, settings.open_weekdays))
        )
        object.__setattr__(self, "calendar", calendar)
        object.__setattr__(self, "admin_alerts", AdminAlerts.from_settings(settings))
        object.__setattr__(
            self, "retention_days", (settings.retention if settings else RetentionSettings()).comments_days
        )

    @property
    def config_publisher(self) -> ConfigPublisher | None:
        """The running collector's publisher of desks' configs; None without ingest (nothing is sent)."""
        return self.ingest.config_publisher if self.ingest is not None else None

    @property
    def mqtt_client(self) -> mqtt.Client | None:
        return self.ingest.client if self.ingest is not None else None
