"""The pages' texts: read from the compiled gettext catalogs, by key, also through Jinja2's i18n extension."""

from __future__ import annotations

from pathlib import Path

import pytest

from collector.reports.channels import CHANNEL_LABELS
from collector.web.i18n import TEXTS, CatalogMissing, gettext_callables, load_catalog, translate
from collector.web.render import templates


def test_a_text_is_read_by_its_key_in_either_language_with_its_values() -> None:
    assert translate("bad_login", "ar") == "اسم المستخدم أو كلمة المرور غير صحيحة"
    assert translate("bad_login", "en") == "Wrong user name or password"
    assert translate("confirm_disable", "en", name="sara") == "Disable sara? Their sessions end at once."
    assert translate("no_such_key", "ar") == "no_such_key"  # a bare key, never a 500


def test_the_pages_name_each_channel_as_collector_channels_does() -> None:
    assert {code: TEXTS[f"channel_{code}"] for code in CHANNEL_LABELS} == CHANNEL_LABELS


def test_a_template_may_ask_through_gettext_trans_and_ngettext_in_the_pages_language() -> None:
    page = templates.from_string(
        "{{ _('sign_in') }}|{% trans %}sign_out{% endtrans %}|{% trans name='ali' %}confirm_reset{% endtrans %}"
        "|{{ ngettext('ratings_n', 'ratings_n', 1) }}, {{ ngettext('ratings_n', 'ratings_n', 7) }}"
    )
    assert page.render(**gettext_callables("en")) == (
        "Sign in|Sign out|Give ali a new password? Their sessions end at once.|rating, ratings"
    )
    assert page.render(**gettext_callables("ar")).split("|")[:2] == ["تسجيل الدخول", "تسجيل الخروج"]


def test_a_catalog_not_compiled_is_an_error_that_says_how_to_compile_it(tmp_path: Path) -> None:
    with pytest.raises(CatalogMissing) as caught:
        load_catalog("ar", tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}/ar/LC_MESSAGES/web.mo is missing: compile the catalogs with `./dev.sh setup`"
        " (or `python -m devtools.catalogs compile`)"
    )
