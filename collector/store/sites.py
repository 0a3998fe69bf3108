"""Sites, sections and desks as the sites file describes them, and the names of places."""

from __future__ import annotations

from typing import Any

from collector.store.connection import Connection
from shared.contract import DeviceConfig


class Sites:
    """The ``sites``, ``sections`` and ``desks`` tables."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def state(self) -> dict[str, dict[tuple[str, ...], dict[str, Any]]]:
        """Stored sites, sections and desks keyed by id tuples (desk rows carry their config JSON)."""
        db = self._conn.db
        return {
            "sites": {
                (r["site_id"],): r
                for r in db.query("SELECT site_id, name_ar, name_en, not_attributable_causes FROM sites")
            },
            "sections": {
                (r["site_id"], r["section_id"]): r
                for r in db.query("SELECT site_id, section_id, name_ar, name_en FROM sections")
            },
            "desks": {
                (r["site_id"], r["desk_id"]): r
                for r in db.query("SELECT site_id, desk_id, section_id, config FROM desks")
            },
        }

    def save(
        self,
        sites: list[dict[str, Any]],
        sections: list[dict[str, Any]],
        desks: list[dict[str, Any]],
        device_configs: list[tuple[str, DeviceConfig]],
        now: str,
    ) -> None:
        """Upsert changed sites, sections and desks and the configs of their devices: one transaction."""
        with self._conn.transaction() as db:
            for table, rows, pk in (
                ("sites", sites, ["site_id"]),
                ("sections", sections, ["site_id", "section_id"]),
                ("desks", desks, ["site_id", "desk_id"]),
            ):
                if rows:
                    db.table(table).upsert_all([{**row, "updated_at": now} for row in rows], pk=pk)
            for device_id, config in device_configs:
                db.execute("UPDATE devices SET config = ? WHERE device_id = ?", [config.model_dump_json(), device_id])

    def desk_config(self, site_id: str, desk_id: str) -> DeviceConfig | None:
        """The config the sites file gives that desk, or None."""
        row = self._conn.db.execute(
            "SELECT config FROM desks WHERE site_id = ? AND desk_id = ?", [site_id, desk_id]
        ).fetchone()
        return DeviceConfig.model_validate_json(row[0]) if row else None

    def desk_configs(self, site_id: str) -> list[DeviceConfig]:
        """The configs the sites file gives the desks of a site, by desk id."""
        rows = self._conn.db.execute("SELECT config FROM desks WHERE site_id = ? ORDER BY desk_id", [site_id])
        return [DeviceConfig.model_validate_json(row[0]) for row in rows.fetchall()]

    def site_names(self, sites: list[str]) -> dict[str, tuple[str, str]]:
        """(Arabic, English) names of these sites as the sites file gives them; a site it never named is left out."""
        if not sites:
            return {}
        sql = f"SELECT site_id, name_ar, name_en FROM sites WHERE site_id IN ({','.join('?' * len(sites))})"  # noqa: S608
        return {r["site_id"]: (r["name_ar"], r["name_en"]) for r in self._conn.db.query(sql, sites)}

    def place_names(self, sites: list[str] | None = None) -> dict[str, dict[Any, tuple[str, str]]]:
        """(Arabic, English) names: ``sections`` by section id, ``desks`` by (site, desk).

        Section names come from the sites file (the first site by id wins when two sites
        name the same section differently); desk names from the sites file, else from
        the config a device was registered with.
        """
        where, params = "", list(sites or [])
        if sites is not None:
            where = f" WHERE site_id IN ({','.join('?' * len(sites))})"
        sections: dict[Any, tuple[str, str]] = {}
        sql = f"SELECT section_id, name_ar, name_en FROM sections{where} ORDER BY site_id"  # noqa: S608 - placeholders
        for r in self._conn.db.query(sql, params):
            sections.setdefault(r["section_id"], (r["name_ar"], r["name_en"]))
        desks: dict[Any, tuple[str, str]] = {}
        for table in ("devices", "desks"):  # the sites file last: it wins
            sql = f"SELECT config FROM {table}{where}"  # noqa: S608 - fixed names and placeholders
            for (config,) in self._conn.db.execute(sql, params).fetchall():
                if config:
                    desk = DeviceConfig.model_validate_json(config)
                    desks[(desk.site_id, desk.desk_id)] = (desk.desk_name_ar, desk.desk_name_en)
        return {"sections": sections, "desks": desks}
