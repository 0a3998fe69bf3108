"""A new version on trial (device/updates/trial.py): too many starts or too long on trial roll it back."""

from __future__ import annotations

from device.updates.trial import MAX_STARTS, Trial, judge


def on_trial(**changes: object) -> Trial:
    values: dict[str, object] = {
        "version": "0.2.0",
        "slot": "b",
        "previous": "a",
        "previous_version": "0.1.5",
        "started_at": "2026-12-01T04:00:00.000Z",
        "boot_id": "boot-1",
        "started_mono": 100.0,
    }
    return Trial.model_validate(values | changes)


def test_more_than_three_starts_on_trial_roll_back() -> None:
    trial = on_trial()
    for _ in range(MAX_STARTS):
        verdict = judge(trial, boot_id="boot-1", mono=110.0, starting=True)
        assert verdict.roll_back is None
        trial = verdict.trial
    verdict = judge(trial, boot_id="boot-1", mono=110.0, starting=True)
    assert verdict.roll_back is not None and "started 3 times" in verdict.roll_back
    assert "0.1.5 runs again" in verdict.roll_back


def test_a_trial_older_than_its_time_rolls_back_and_a_reboot_restarts_its_clock() -> None:
    assert judge(on_trial(), boot_id="boot-1", mono=399.0, starting=False).roll_back is None
    late = judge(on_trial(), boot_id="boot-1", mono=401.0, starting=False).roll_back
    assert late is not None and "did not come online within 5 min" in late
    rebooted = judge(on_trial(), boot_id="boot-2", mono=5000.0, starting=True)
    assert rebooted.roll_back is None and rebooted.trial.started_mono == 5000.0 and rebooted.trial.starts == 1
