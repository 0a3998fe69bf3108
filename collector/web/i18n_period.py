"""Page texts of the period report and the "Centre in figures" sheet, in Arabic and English (i18n.TEXTS has them)."""

from __future__ import annotations

PERIOD_TEXTS: dict[str, tuple[str, str]] = {  # key: (Arabic, English)
    "period_report": ("تقرير فترة", "Period report"),
    "period": ("الفترة", "Period"),
    "kind_week": ("أسبوع (الأحد إلى السبت)", "Week (Sunday to Saturday)"),
    "kind_month": ("شهر", "Month"),
    "kind_quarter": ("ربع سنة", "Quarter"),
    "kind_year": ("سنة", "Year"),
    "kind_launch": ("منذ الإطلاق", "Since launch"),
    "kind_hijri_month": ("شهر هجري", "Hijri month"),
    "kind_hijri_year": ("سنة هجرية", "Hijri year"),
    "kind_custom": ("من يوم إلى يوم", "From a day to a day"),
    "day_in_period": ("يوم ضمن الفترة", "A day in the period"),
    "hijri_year": ("السنة الهجرية", "Hijri year"),
    "hijri_month": ("الشهر الهجري", "Hijri month"),
    "days_n": ("عدد الأيام", "Days"),
    "interval_95": ("فترة الثقة ٩٥٪", "95% interval"),
    "questions": ("أسئلة الاستبيان", "Survey questions"),
    "answers_n": ("الإجابات", "Answers"),
    "option": ("الخيار", "Option"),
    "share": ("النسبة", "Share"),
    "no_answers": ("لا إجابات على الاستبيان في هذه الفترة", "No survey answers in this period"),
    "visits": ("الزيارات المسجلة", "Visits recorded"),
    "calls": ("المكالمات المسجلة", "Calls recorded"),
    "response_rate": (
        "نسبة الاستجابة (الزيارات والمكالمات التي قُيّمت)",
        "Response rate (visits and calls that were rated)",
    ),
    "response_rate_short": ("نسبة الاستجابة", "Response rate"),
    "recorded_rated": ("المُقيَّم من المسجَّل", "Rated of recorded"),
    "n_of": ("{rated} من {recorded}", "{rated} of {recorded}"),
    "rated_of": ("قُيّم {rated} من {recorded}", "{rated} of {recorded} rated"),
    "not_recorded": ("غير مسجّل", "not recorded"),
    "no_data_period": ("لا توجد تقييمات في هذه الفترة", "No ratings in this period"),
    "figures": ("المركز بالأرقام", "The centre in figures"),
    "figures_link": ("المركز بالأرقام (للطباعة)", "The centre in figures (printable)"),
    "satisfaction": ("رضا المراجعين", "Visitor satisfaction"),
    "out_of_5": ("من ٥", "out of 5"),
    "from_ratings": ("من {n} تقييم", "from {n} ratings"),
    "no_obstacle": ("لم يواجهوا أي عائق في تقديم طلبهم", "Met no obstacle in submitting their request"),
    "of_answers": ("من {n} إجابة", "of {n} answers"),
    "applicants": ("المتقدمون حسب الصفة", "Applicants by type"),
    "by_hall": ("التقييمات حسب القاعة والقناة", "Ratings by hall, with calls and links"),
    "hall_row_call": ("مكالمات هاتفية", "Phone calls"),
    "hall_row_link": ("روابط التقييم", "Rating links"),
    "hall_row_desk": ("مكاتب خارج القاعات", "Desks in no hall"),
    "no_hall": ("بلا قاعة", "No hall"),
    # the sheet's heading (collector/web/sheet_heading.py) and what its headline and "per day" measure
    "sheet_issued": ("تاريخ الإصدار", "Issued"),
    "centres_n": ("{n} مراكز", "{n} centres"),
    "measure_survey": (
        "المقياس: متوسط الإجابات عن سؤال الاستبيان «{question}»، من ١ إلى ٥.",
        "Measure: the mean answer to the survey question “{question}”, 1 to 5.",
    ),
    "measure_ratings": (
        "المقياس: متوسط تقييمات المراجعين للخدمة (المكاتب والمكالمات والروابط)، من ١ إلى ٥.",
        "Measure: the mean of the visitors' ratings of the service (desks, calls and links), 1 to 5.",
    ),
    "measure_no_answers": (
        "لم يُجب أحد في هذه الفترة عن سؤال الرضا العام «{question}».",
        "No one answered the overall-satisfaction question “{question}” in this period.",
    ),
    "ratings_mean": ("متوسط التقييمات", "Mean of the ratings"),
    "per_working_day": ("في يوم العمل", "per working day"),
    "per_working_day_note": (
        "«في يوم العمل»: القسمة على {n} يوم عمل ({week}) من {first} إلى {last}.",
        "“Per working day” divides by the {n} working days ({week}) from {first} to {last}.",
    ),
    "per_day_note": (
        "«في اليوم»: القسمة على {n} يومًا من {first} إلى {last}.",
        "“Per day” divides by the {n} days from {first} to {last}.",
    ),
    "span_to_today": (
        "الفترة لم تنتهِ بعد: حُسبت أيامها حتى اليوم.",
        "The period is not over: its days are counted up to today.",
    ),
    "ratings_by_channel": ("التقييمات حسب القناة", "Ratings by channel"),
    "visits_calls": ("الزيارات والمكالمات", "Visits and calls"),
    "per_day": ("في اليوم", "per day"),
    "figures_note": (
        "المتوسط من ٥ مع فترة الثقة ٩٥٪؛ النسب من إجابات الاستبيان الدوري ومن قاعات المراجعين.",
        "Mean out of 5 with its 95% interval; shares from the periodic survey's answers and from the halls.",
    ),
    "period_downloads": ("تنزيل تقرير الفترة (Excel أو CSV)", "Download the period report (Excel or CSV)"),
    "daily_link": ("التقرير اليومي", "Daily report"),
    "period_link": ("تقرير فترة أو شهر هجري", "Report for a period or a Hijri month"),
    "summary": ("الملخص", "Summary"),
    "scores": ("التقييمات من ١ (غير راضٍ جدًا) إلى ٥", "Ratings from 1 (very dissatisfied) to 5"),
    "min_n_period": (
        "لا يُرتَّب موظف لديه أقل من {n} تقييمًا في الفترة.",
        "No one with fewer than {n} ratings in the period is ranked.",
    ),
    "bad_span": (
        "تعذّر فهم الفترة المطلوبة، فهذا الشهر الحالي:",
        "The period asked for could not be read, so this is this month:",
    ),
    "bad_site": (
        "تعذّر فهم المركز المطلوب، فهذه كل مراكزك:",
        "The site asked for could not be read, so these are all your sites:",
    ),
    # why a pick could not be read (collector.reports.period_choice.ChoiceError's key); {value} is what was sent
    "pick_kind": (
        "«{value}» ليس نوع فترة؛ اختر نوعًا من القائمة.",
        "“{value}” is not a kind of period; choose one from the list.",
    ),
    "pick_day": (
        "«{field}»: {value} ليس يومًا صحيحًا؛ أدخل يومًا بين 1900-01-01 و 2200-12-31.",
        "“{field}”: {value} is not a day; give a day from 1900-01-01 to 2200-12-31.",
    ),
    "pick_hijri_year": (
        "السنة الهجرية {value} خارج تقويم أم القرى؛ أدخل سنة من {low} إلى {high}.",
        "The Hijri year {value} is outside the Umm al-Qura calendar; give a year from {low} to {high}.",
    ),
    "pick_hijri_month": (
        "الشهر الهجري {value} غير صحيح؛ اختر شهرًا من القائمة (1 إلى 12).",
        "The Hijri month {value} is not a month; choose one from the list (1 to 12).",
    ),
    "pick_outside_hijri": (
        "اليوم {value} خارج تقويم أم القرى (1343 إلى 1500 هـ)؛ اختر السنة الهجرية بنفسك.",
        "The day {value} is outside the Umm al-Qura calendar (1343 to 1500 AH); give the Hijri year yourself.",
    ),
    "pick_both_days": ("أدخل اليومين كليهما: «من يوم» و«إلى يوم».", "Give both days: “From” and “To”."),
    "pick_to_before_from": (
        "«إلى يوم» ({last}) يسبق «من يوم» ({first}).",
        "“To” ({last}) is before “From” ({first}).",
    ),
    "pick_too_long": (
        "الفترة أطول من {most} يومًا (نحو ١٥ سنة)؛ اختر فترة أقصر.",
        "A period covers at most {most} days (about 15 years); choose a shorter one.",
    ),
    "pick_unreadable": (
        "تعذّرت قراءة الفترة؛ اختر من النموذج.",
        "The period could not be read; choose it with the form.",
    ),
    "pick_site": (
        "المركز «{value}» غير معروف؛ اختر مركزًا من القائمة.",
        "“{value}” is not a site; choose one from the list.",
    ),
}
