"""Kiosk benchmark: touch-to-thank-you latency, start-up time, memory over 1,000 ratings, employee sign-in, voice.

Runs the real kiosk in a real Kivy window (SDL offscreen) on a real DeviceCore whose
outbox is fsynced SQLite on this machine's disk, and taps faces with real touches.

    .venv/bin/python bench/kiosk.py [--ratings 1000] [--data-dir DIR]

Latency is measured from the touch-down on a face (or on Send, after a negative
face) to the end of the first frame that shows the thank-you screen, so it
includes the durable outbox write and one full render. The frame rate cap is off
(as in the tests), so the figure is work done, not waiting for the next 60 Hz tick.

GL here is Mesa llvmpipe (software), which defers rasterising until something
synchronises: without a glFinish() before and after each measured frame, the
work of earlier frames lands on whichever frame next uploads a texture (seen:
a 200 ms "render" of an 11 px digit). So the clock starts after a glFinish and
stops after the thank-you frame's own glFinish.

The employee's sign-in is measured after the ratings: ``verify_pin`` alone on a hash
with the contract's 600,000 PBKDF2 iterations (what a tablet checks offline), then a
whole sign-in through the screens (badge read, PIN on the keypad, OK) with that hash,
from OK to the frame that shows the desk open, counting the frames the kiosk kept
drawing meanwhile (the check runs on a worker thread, so the screen stays responsive).

The speaker button is measured with espeak-ng's Arabic and English prompts (made
after the first frame, as ``taqyeem-device make-sounds`` would at install) through Kivy's SoundLoader and SDL
(``SDL_AUDIODRIVER=dummy`` where there is no sound device): from the touch-down on
the speaker button to the start of the first ``play()`` call, and the cost of the
language tap that loads the chosen language's files in advance.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before Kivy is imported: start-up includes Kivy's import and window

import argparse  # noqa: E402
import gc  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from device.kiosk.app import prepare_kivy  # noqa: E402


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=int, default=1000)
    parser.add_argument("--data-dir", type=Path, default=None, help="where the outbox goes (default: a temp dir)")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="taqyeem-bench-kiosk-"))
    prepare_kivy(data_dir / "kivy", fullscreen=False, headless=True)

    from kivy.graphics.opengl import glFinish
    from kivy.tests.common import UnitTestTouch

    from device.core import DeviceCore
    from device.kiosk import sounds
    from device.kiosk.flow import Timings
    from device.kiosk.headless import HeadlessKiosk
    from device.settings import DeviceSettings
    from shared.contract import DeviceConfig, StaffMember
    from shared.pins import EMPLOYEE_ITERATIONS, hash_pin, verify_pin

    core = DeviceCore(DeviceSettings(device_id="bench-d1", data_dir=data_dir))
    desk = DeviceConfig(site_id="bench", desk_id="desk-1", desk_name_ar="مكتب ١", desk_name_en="Desk 1", cooldown_s=0)
    core.apply_config(desk)
    core.sign_in("E1042")
    timings = Timings()
    store_ms: list[float] = []
    rate = core.rate

    def timed_rate(*a, **k):  # the durable write's share of the latency
        t = time.perf_counter()
        try:
            return rate(*a, **k)
        finally:
            store_ms.append((time.perf_counter() - t) * 1000)

    core.rate = timed_rate  # type: ignore[method-assign]
    kiosk = HeadlessKiosk(core, timings=timings)  # builds the root and draws two frames
    glFinish()
    first_frame_s = time.perf_counter() - STARTED
    assert kiosk.screen == "rating"  # an open desk starts on the faces
    # The prompts are made as `taqyeem-device make-sounds` makes them at install, never at the kiosk's
    # start: after the first frame, so espeak-ng's 26 files (0.4 s to 2 s here) are not counted in it.
    voice_made = sounds.espeak_available() is None and not sounds.make_sounds(data_dir / "sounds", ["ar", "en"]).skipped
    pin = "1357"
    pin_hash = hash_pin(pin, iterations=EMPLOYEE_ITERATIONS)  # after the first frame: not start-up
    staff = [
        StaffMember(employee_id="E1042", name_ar="سارة العتيبي", name_en="Sara Alotaibi", pin_hash=pin_hash),
        StaffMember(employee_id="E2001", name_ar="محمد القحطاني", name_en="Mohammed Alqahtani", pin_hash=pin_hash),
    ]
    core.apply_config(desk.model_copy(update={"staff": staff}))  # the roster arrives: the faces name Sara
    kiosk.frames(1)

    positive: list[float] = []
    negative: list[float] = []
    rss: dict[int, float] = {}
    scores = (5, 4, 3, 2, 1)
    for n in range(1, args.ratings + 1):
        assert kiosk.screen == "rating", kiosk.screen  # the faces at rest: no attract screen
        score = scores[n % len(scores)]
        target = kiosk.current.ids.faces.face(score)
        if score <= core.config.negative_max_score:
            kiosk.tap(target)
            kiosk.tap(kiosk.current.ids.send)  # the reasons' Send: then "call you back?"
            target = kiosk.current.ids.no  # the write happens on "No thanks" (or on the number's Send)
        samples = negative if score <= core.config.negative_max_score else positive
        x, y = target.to_window(*target.center)
        touch = UnitTestTouch(x, y)
        glFinish()  # earlier frames' deferred rasterising must not count here
        t0 = time.perf_counter()
        touch.touch_down()
        kiosk.frames(1)
        glFinish()
        samples.append((time.perf_counter() - t0) * 1000)
        assert kiosk.screen == "thanks", kiosk.screen
        touch.touch_up()
        kiosk.advance(timings.thanks_s)
        if n in (100, 500, args.ratings):
            gc.collect()
            rss[n] = rss_mib()

    depth = core.outbox_depth()
    voice = speaker_latency(kiosk, glFinish) if voice_made else None

    verify_s = []
    for _ in range(5):
        t = time.perf_counter()
        assert verify_pin(pin, pin_hash)
        verify_s.append(time.perf_counter() - t)
    sign_in_s, frames_while_checking = sign_in_through_the_screens(kiosk, pin)
    assert core.employee_id == "E2001", core.employee_id

    kiosk.close()
    core.stop()
    assert depth == args.ratings, f"outbox holds {depth}, expected {args.ratings}"
    print(f"kiosk benchmark: {args.ratings} ratings through real touches, outbox in {data_dir}")
    print(f"  start to first interactive frame: {first_frame_s * 1000:.0f} ms (Kivy import, window, kv, core)")
    for name, values in (("positive face", positive), ("negative, No thanks to the call back", negative)):
        print(
            f"  touch to thank-you, {name} ({len(values)}): p50 {pct(values, 50):.1f} ms, "
            f"p99 {pct(values, 99):.1f} ms, max {max(values):.1f} ms, mean {statistics.fmean(values):.1f} ms"
        )
    print(f"  of which the fsynced outbox write: p50 {pct(store_ms, 50):.1f} ms, p99 {pct(store_ms, 99):.1f} ms")
    print(f"  load: {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} cores")
    print("  RSS after N ratings: " + ", ".join(f"{n}: {mib:.1f} MiB" for n, mib in rss.items()))
    if voice is None:
        print("  speaker button: not measured (espeak-ng is not installed: apt-get install espeak-ng)")
    else:
        tap_ms, (loading, loaded) = voice
        print(
            f"  speaker tap to first play() start ({len(tap_ms)}): p50 {pct(tap_ms, 50):.2f} ms, "
            f"p99 {pct(tap_ms, 99):.2f} ms, max {max(tap_ms):.2f} ms"
        )
        print(
            f"  language tap to English, two frames drawn: loading its 13 sound files ({len(loading)}) "
            f"p50 {pct(loading, 50):.1f} ms, max {max(loading):.1f} ms; "
            f"files already in memory ({len(loaded)}) p50 {pct(loaded, 50):.1f} ms, max {max(loaded):.1f} ms"
        )
    print(
        f"  employee PIN check, {EMPLOYEE_ITERATIONS:,} PBKDF2 iterations: median {statistics.median(verify_s):.2f} s "
        f"(min {min(verify_s):.2f}, max {max(verify_s):.2f}, 5 runs)"
    )
    print(
        f"  sign-in through the screens, OK to the desk open: {sign_in_s:.2f} s, "
        f"{frames_while_checking} frames drawn meanwhile (the check is off the main thread)"
    )


def speaker_latency(kiosk, gl_finish, rounds: int = 40) -> tuple[list[float], tuple[list[float], list[float]]]:
    """Milliseconds from the speaker button's touch-down to the first play() start; and of the language taps."""
    from kivy.tests.common import UnitTestTouch

    voice = kiosk.root.visitor.voice
    real_play = voice.player.play
    started: list[float] = []

    def play(sound, path):
        started.append(time.perf_counter())
        real_play(sound, path)

    voice.player.play = play
    taps: list[float] = []
    languages: tuple[list[float], list[float]] = ([], [])  # files loaded from disk; already in memory
    for n in range(rounds):
        assert kiosk.screen == "rating", kiosk.screen  # the faces at rest, in the desk's Arabic
        if n % 2 == 0:
            voice.loaded.clear()  # this language tap loads its files from disk, as the first one of the day does
        gl_finish()
        t0 = time.perf_counter()
        kiosk.tap(kiosk.current.ids.lang_button)  # two languages: one tap swaps to English
        gl_finish()
        languages[n % 2].append((time.perf_counter() - t0) * 1000)
        button = kiosk.current.ids.speaker_button
        touch = UnitTestTouch(*button.to_window(*button.center))
        started.clear()
        gl_finish()
        t0 = time.perf_counter()
        touch.touch_down()
        kiosk.frames(1)
        assert started, "the speaker button played nothing"
        taps.append((started[0] - t0) * 1000)
        touch.touch_up()
        voice.stop()
        kiosk.tap(kiosk.current.ids.faces.face(5))
        kiosk.advance(10)
    voice.player.play = real_play
    return taps, languages


def sign_in_through_the_screens(kiosk, pin: str) -> tuple[float, int]:
    """Mohammed reads his badge and types his PIN; seconds from OK to the open desk, frames drawn while checking."""
    from kivy.core.window import Window

    kiosk.advance(5)
    for char in "E2001":
        Window.dispatch("on_textinput", char)
    Window.dispatch("on_key_down", 13, 40, None, [])
    kiosk.frames(1)
    assert kiosk.screen == "employee_pin", kiosk.screen
    keypad = kiosk.current.ids.keypad
    for key in pin:
        kiosk.tap(keypad.button(key))
    t0 = time.perf_counter()
    kiosk.tap(keypad.button("OK"))
    frames = 0
    while kiosk.root.state.checking:
        kiosk.frames(1)
        frames += 1
        time.sleep(0.005)
    kiosk.frames(1)
    assert kiosk.screen == "rating", kiosk.screen
    return time.perf_counter() - t0, frames


if __name__ == "__main__":
    main()
