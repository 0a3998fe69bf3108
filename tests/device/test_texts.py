"""The staff screens' lines (device/kiosk/texts.py, enrol_texts.py): the staff catalogs' halves put together."""

from __future__ import annotations

from device.kiosk import enrol_texts, texts


def test_a_staff_line_is_the_arabic_half_then_the_english_half() -> None:
    assert texts.STAFF["pin_title"] == "رمز المكتب  ·  Desk PIN"
    assert texts.HALVES["pin_title"] == ("رمز المكتب", "Desk PIN")
    assert texts.STAFF["staff_key"] == "دخول الموظف\nStaff sign in"  # a narrow key: Arabic above English


def test_the_unset_desk_pin_names_the_command_on_a_line_of_its_own() -> None:
    assert texts.STAFF["pin_unset"].split("\n") == [
        "لم يُضبط رمز للمكتب  ·  No desk PIN is set",
        "شغّل على هذا الجهاز  ·  On this tablet, run",
        "sudo taqyeem-device set-pin",
        "ثم أعد تشغيل الكشك  ·  then restart the kiosk",
    ]


def test_names_and_waits_are_filled_in_each_half() -> None:
    assert texts.STAFF["now_serving"].format(ar="نورة", en="Noura") == "يخدم الآن: نورة  ·  Now serving: Noura"
    assert (
        texts.locked_for(2) == "محاولات خاطئة كثيرة، حاول بعد دقيقتين  ·  Too many wrong PINs: try again in 2 minutes"
    )
    assert [texts.minutes_phrase(n) for n in (0, 1, 3, 10, 11, 100)] == [
        ("0 دقيقة", "0 minutes"),
        ("دقيقة", "1 minute"),
        ("3 دقائق", "3 minutes"),
        ("10 دقائق", "10 minutes"),
        ("11 دقيقة", "11 minutes"),
        ("100 دقيقة", "100 minutes"),
    ]


def test_every_enrolment_error_has_its_line_and_the_long_ones_take_two() -> None:
    assert set(enrol_texts.ERRORS) == set(enrol_texts.KINDS)
    assert (
        enrol_texts.ERRORS["bad_code"]
        == enrol_texts.TYPE_ALL
        == "الرمز 12 حرفا ورقما  ·  The code has 12 letters and digits"
    )
    assert enrol_texts.ERRORS["unreachable"] == (
        "تعذر الوصول إلى الخادم، تحقق من الشبكة والعنوان\nCollector unreachable: check the network and address"
    )
    assert enrol_texts.ENROLLED.format(device_id="d-1") == "رقم الجهاز  ·  Device id\nd-1"
