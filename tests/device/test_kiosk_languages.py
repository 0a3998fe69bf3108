"""The visitor's languages and large text on the kiosk, in a real Kivy window (see test_kiosk.py).

Screenshots of the rating screen in each script are written to docs/screenshots/ with
TAQYEEM_SCREENSHOTS=1 (look at them: joined letters, right to left, conjuncts, vowel signs):

    TAQYEEM_SCREENSHOTS=1 .venv/bin/python -m pytest tests/device/test_kiosk_languages.py -k screenshot
"""

from __future__ import annotations

import pytest

from device.kiosk import translations  # no Kivy: the kivy imports are in the tests, after test_kiosk's prepare_kivy
from tests.device import test_kiosk
from tests.device.test_kiosk import DESK, T, enter_staff, send_reasons, shot, stored, tap_face, to_faces

make_kiosk = test_kiosk.make_kiosk  # the same fixture: a kiosk window on a real DeviceCore, no broker

SHIPPED = ["ar", "en", "ur", "hi", "bn", "tl", "id"]
EVERY = DESK.model_copy(update={"languages": SHIPPED})
OWN_NAMES = ["العربية", "English", "اردو", "हिन्दी", "বাংলা", "Tagalog", "Bahasa Indonesia"]


def open_list(kiosk):
    kiosk.tap(kiosk.current.ids.lang_button)
    languages = kiosk.root.visitor.list
    assert languages.parent is kiosk.root, "the language list did not open"
    return languages


def test_the_kiosk_renders_with_a_provider_that_shapes_complex_scripts():
    from device.kiosk.widgets.controls import SHAPES_ITSELF

    assert SHAPES_ITSELF  # Kivy's pil provider (Pillow with libraqm), set by prepare_kivy


def test_the_list_shows_each_offered_language_by_its_own_name_in_the_configs_order(make_kiosk):
    kiosk = make_kiosk(config=EVERY)
    to_faces(kiosk)
    languages = open_list(kiosk)
    buttons = sorted(languages.ids.rows.children, key=lambda b: -b.y)  # top to bottom
    assert [b.code for b in buttons] == SHIPPED
    assert [b.raw for b in buttons] == OWN_NAMES


def test_the_list_shows_only_the_configs_languages(make_kiosk):
    kiosk = make_kiosk(config=DESK.model_copy(update={"languages": ["ar", "hi", "bn"]}))
    to_faces(kiosk)
    assert [b.code for b in open_list(kiosk).ids.rows.children] == ["bn", "hi", "ar"]  # newest child first


def test_a_language_without_a_translation_is_left_out(make_kiosk):
    kiosk = make_kiosk(config=DESK.model_copy(update={"languages": ["ar", "fr", "ur", "en"]}))
    to_faces(kiosk)
    assert {b.code for b in open_list(kiosk).ids.rows.children} == {"ar", "ur", "en"}


@pytest.mark.parametrize("lang", ["ur", "hi", "bn", "tl", "id"])
def test_a_rating_given_in_a_chosen_language_carries_it_and_the_faces_keep_their_order(make_kiosk, lang):
    kiosk = make_kiosk(config=EVERY)
    to_faces(kiosk)
    kiosk.tap(open_list(kiosk).button(lang))
    assert kiosk.root.visitor.list.parent is None  # the list closed
    screen = kiosk.current
    assert screen.ids.question.raw == translations.text("question", lang)
    assert screen.ids.privacy.raw == translations.text("privacy", lang)
    faces = screen.ids.faces.faces  # in screen order, left to right
    assert [f.score for f in faces] == [1, 2, 3, 4, 5]
    assert [f.word for f in faces] == list(translations.face_words(lang))
    tap_face(kiosk, 4)
    assert kiosk.screen == "thanks"
    assert kiosk.current.ids.title.raw == translations.text("thanks_title", lang)
    [rating] = stored(kiosk)
    assert (rating.score, rating.lang) == (4, lang)


def test_a_touch_outside_the_list_closes_it_unchanged(make_kiosk):
    kiosk = make_kiosk(config=EVERY)
    to_faces(kiosk)
    open_list(kiosk)
    kiosk.touch_at(10, 10)
    assert kiosk.root.visitor.list.parent is None and kiosk.root.state.lang == "ar"
    tap_face(kiosk, 5)
    assert [r.lang for r in stored(kiosk)] == ["ar"]


def test_the_language_resets_to_the_desks_default_at_rest(make_kiosk):
    kiosk = make_kiosk(config=EVERY.model_copy(update={"default_lang": "ur"}))
    assert kiosk.root.state.lang == "ur"
    to_faces(kiosk)
    kiosk.tap(open_list(kiosk).button("bn"))
    tap_face(kiosk, 5)
    kiosk.advance(T.thanks_s)
    assert kiosk.screen == "rating" and kiosk.root.state.lang == "ur"
    assert kiosk.current.ids.question.raw == translations.text("question", "ur")


def test_two_languages_swap_with_one_tap_as_before(make_kiosk):
    kiosk = make_kiosk()  # ar and en
    to_faces(kiosk)
    assert kiosk.current.ids.lang_button.raw == "English"
    kiosk.tap(kiosk.current.ids.lang_button)
    assert kiosk.root.state.lang == "en" and kiosk.root.visitor.list.parent is None
    assert kiosk.current.ids.lang_button.raw == "العربية"


def test_the_followup_is_translated(make_kiosk):
    kiosk = make_kiosk(config=EVERY)
    to_faces(kiosk)
    kiosk.tap(open_list(kiosk).button("hi"))
    tap_face(kiosk, 1)
    assert kiosk.screen == "followup"
    screen = kiosk.current
    assert screen.ids.title.raw == translations.text("followup_title", "hi")
    assert screen.chip("waiting_time").raw == "प्रतीक्षा का समय"
    kiosk.tap(screen.chip("waiting_time"))
    send_reasons(kiosk)
    assert [(r.score, r.reasons, r.lang) for r in stored(kiosk)] == [(1, ["waiting_time"], "hi")]


def test_large_text_and_high_contrast_for_one_visitor_then_reset_at_rest(make_kiosk):
    from device.kiosk.widgets.access import LARGE_SCALE

    kiosk = make_kiosk()
    to_faces(kiosk)
    question = kiosk.current.ids.question
    normal = question.font_size
    kiosk.tap(kiosk.current.ids.access_button)
    assert kiosk.root.state.large and kiosk.current.large
    assert question._wanted == pytest.approx(normal * LARGE_SCALE) and question.font_size > normal * 1.2  # fitted
    assert tuple(question.color)[:3] == (1, 1, 1)  # white on black
    tap_face(kiosk, 5)
    assert kiosk.current.large  # the thank-you is large too
    kiosk.advance(T.thanks_s)
    assert kiosk.screen == "rating" and not kiosk.root.state.large
    assert not kiosk.current.large and question.font_size == normal
    assert tuple(question.color)[:3] != (1, 1, 1)


def test_large_text_resets_when_the_visitor_walks_away(make_kiosk):
    kiosk = make_kiosk()
    to_faces(kiosk)
    kiosk.tap(kiosk.current.ids.access_button)
    kiosk.advance(T.rating_idle_s)
    assert kiosk.screen == "rating" and not kiosk.root.state.large and not kiosk.current.large


@pytest.mark.parametrize("lang", ["ur", "hi", "bn", "tl"])
def test_screenshot_of_the_rating_screen(make_kiosk, lang):
    named = EVERY.model_copy(update={"default_lang": lang})
    kiosk = make_kiosk(config=named)
    to_faces(kiosk)
    assert kiosk.current.ids.question.raw == translations.text("question", lang)
    shot(kiosk, f"rating-{lang}")


def test_screenshot_of_large_text_in_arabic(make_kiosk):
    kiosk = make_kiosk(config=EVERY)
    to_faces(kiosk)
    kiosk.tap(kiosk.current.ids.access_button)
    shot(kiosk, "large-ar")


def test_screenshot_of_the_language_list(make_kiosk):
    kiosk = make_kiosk(config=EVERY)
    to_faces(kiosk)
    open_list(kiosk)
    shot(kiosk, "languages")


def test_an_english_name_inside_hindi_is_drawn_with_the_latin_font(make_kiosk):
    from shared.contract import StaffMember

    staff = [StaffMember(employee_id="E1042", name_ar="نورة العتيبي", name_en="Noura Alotaibi")]
    kiosk = make_kiosk(config=EVERY.model_copy(update={"default_lang": "hi", "staff": staff}))
    to_faces(kiosk)
    serving = kiosk.current.ids.serving
    assert serving.raw == "आप Noura Alotaibi की सेवा को रेटिंग दे रहे हैं"
    assert serving.markup and "[font=TaqyeemSans]Noura Alotaibi[/font]" in serving.text
    shot(kiosk, "rating-named-hi")
    kiosk.tap(open_list(kiosk).button("ur"))
    assert serving.raw == "آپ نورة العتيبي کی خدمت کی درجہ بندی کر رہے ہیں"  # Urdu readers see the Arabic name
    assert not serving.markup


def test_a_language_chosen_on_the_attract_screen_then_left_returns_to_the_default(make_kiosk):
    kiosk = make_kiosk(config=EVERY.model_copy(update={"mode": "invited"}))  # only an invited desk rests there
    assert kiosk.screen == "idle"
    kiosk.tap(open_list(kiosk).button("tl"))
    assert kiosk.root.state.lang == "tl" and kiosk.current.ids.title.raw == translations.text("attract_title", "tl")
    kiosk.advance(T.rating_idle_s)
    assert kiosk.screen == "idle" and kiosk.root.state.lang == "ar"


def test_a_list_left_open_closes_at_rest(make_kiosk):
    kiosk = make_kiosk(config=EVERY)
    to_faces(kiosk)
    open_list(kiosk)
    kiosk.advance(T.rating_idle_s)
    assert kiosk.screen == "rating" and kiosk.root.visitor.list.parent is None


def test_large_text_follows_the_visitor_to_the_reasons(make_kiosk):
    kiosk = make_kiosk(config=EVERY)
    to_faces(kiosk)
    kiosk.tap(open_list(kiosk).button("hi"))
    kiosk.tap(kiosk.current.ids.access_button)
    tap_face(kiosk, 1)
    assert kiosk.screen == "followup" and kiosk.current.large
    shot(kiosk, "followup-large-hi")
    kiosk.tap(kiosk.current.chip("staff_courtesy"))
    send_reasons(kiosk)
    assert [(r.reasons, r.lang) for r in stored(kiosk)] == [(["staff_courtesy"], "hi")]


def test_the_desk_settings_step_the_default_through_the_offered_languages(make_kiosk):
    kiosk = make_kiosk(config=DESK.model_copy(update={"languages": ["ar", "ur", "hi"]}))
    enter_staff(kiosk)
    assert kiosk.screen == "staff"
    seen = []
    for _ in range(3):
        kiosk.tap(kiosk.current.ids.default_lang)
        seen.append((kiosk.root.state.default_lang, kiosk.current.ids.default_lang.raw.splitlines()[1]))
    names = ["Default language: Urdu", "Default language: Hindi", "Default language: Arabic"]
    assert seen == list(zip(["ur", "hi", "ar"], names, strict=True))
