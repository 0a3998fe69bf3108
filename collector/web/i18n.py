"""Page texts in Arabic (the default, right to left) and English."""

from __future__ import annotations

from collector.reports.channels import CHANNEL_LABELS
from collector.web.i18n_fleet import FLEET_TEXTS
from collector.web.i18n_owners import OWNER_TEXTS
from collector.web.i18n_period import PERIOD_TEXTS

LANGS = ("ar", "en")
TEXTS: dict[str, tuple[str, str]] = {  # key: (Arabic, English)
    "app": ("تقييم", "Taqyeem"),
    "today": ("اليوم", "Today"),
    "reviews": ("المراجعات", "Reviews"),
    "reports": ("التقارير", "Reports"),
    "employees": ("الموظفون", "Employees"),
    "devices": ("المكاتب والأجهزة", "Desks and devices"),
    "sign_in": ("تسجيل الدخول", "Sign in"),
    "sign_out": ("تسجيل الخروج", "Sign out"),
    "user_name": ("اسم المستخدم", "User name"),
    "password": ("كلمة المرور", "Password"),
    "bad_login": ("اسم المستخدم أو كلمة المرور غير صحيحة", "Wrong user name or password"),
    "bad_form": ("انتهت صلاحية النموذج؛ أعد المحاولة", "The form expired; please try again"),
    "too_many": ("محاولات كثيرة فاشلة؛ حاول بعد ١٥ دقيقة", "Too many failed attempts; try again in 15 minutes"),
    "too_many_pause": (
        "محاولات كثيرة فاشلة على هذا الحساب؛ انتظر دقيقة ثم حاول",
        "Too many failed attempts on this account; wait a minute and try again",
    ),
    "other_lang": ("English", "العربية"),
    "mean": ("المتوسط من ٥", "Mean out of 5"),
    "ratings": ("التقييمات", "Ratings"),
    "count": ("العدد", "Count"),
    "share_negative": ("نسبة السلبية", "Share negative"),
    "negatives": ("السلبية", "Negatives"),
    "open_reviews": ("مراجعات مفتوحة", "Open reviews"),
    "desks_offline": ("أجهزة غير متصلة", "Desks offline"),
    "live_feed": ("التقييمات لحظة وصولها", "Live feed"),
    "live_on": ("مباشر", "Live"),
    "live_off": ("انقطع البث؛ إعادة الاتصال…", "Feed lost; reconnecting…"),
    "new_negative": ("تقييم سلبي جديد", "New negative rating"),
    "open_review": ("فتح المراجعة", "Open the review"),
    "time": ("الوقت", "Time"),
    "desk": ("المكتب", "Desk"),
    "site": ("المركز", "Site"),
    "section": ("القسم", "Section"),
    "hour": ("الساعة", "Hour"),
    "employee": ("الموظف", "Employee"),
    "signed_in": ("الموظف المسجّل", "Signed in"),
    "score": ("التقييم", "Score"),
    "reasons": ("الأسباب", "Reasons"),
    "visit": ("رقم الزيارة", "Visit"),
    "visitor_comment": ("ملاحظة الزائر", "Visitor's comment"),
    "status": ("الحالة", "Status"),
    "open": ("مفتوحة", "Open"),
    "closed": ("مغلقة", "Closed"),
    "all": ("الكل", "All"),
    "date": ("التاريخ", "Date"),
    "show": ("عرض", "Show"),
    "none_yet": ("لا شيء بعد", "Nothing yet"),
    "review_of": ("مراجعة تقييم", "Review of a rating"),
    "cause": ("فئة السبب", "Cause category"),
    "action": ("الإجراء المتخذ", "Action taken"),
    "note": ("ملاحظة", "Note"),
    "close_review": ("إغلاق المراجعة", "Close the review"),
    "closed_by": ("أغلقها", "Closed by"),
    "response": ("رد الموظف", "Employee's response"),
    "add_response": ("إضافة رد الموظف", "Add the employee's response"),
    "history": ("السجل", "History"),
    "ev_opened": ("فُتحت", "Opened"),
    "ev_closed": ("أُغلقت", "Closed"),
    "ev_response": ("رد الموظف", "Employee's response"),
    "choose": ("اختر…", "Choose…"),
    # whether a rating counts against the employee (the review's close form, the employees' figures)
    "attributable": ("يُحتسب على الموظف", "Attributable to the employee"),
    "attributable_q": ("هل يُحتسب هذا التقييم على الموظف؟", "Is this rating attributable to the employee?"),
    "attributable_yes": ("نعم، يدخل في متوسط الموظف", "Yes: it counts in the employee's mean"),
    "attributable_no": (
        "لا، يُستبعد من متوسط الموظف ويبقى في أرقام المكتب والقسم والمركز",
        "No: it leaves the employee's mean and stays in the desk's, section's and site's figures",
    ),
    "attributable_hint": (
        "يُقترح الجواب من فئة السبب (سلوك الموظف: نعم؛ تعطل الأنظمة أو الإجراء أو السياسة أو سوء فهم المراجع: لا)،"
        " وللمشرف أن يغيّره. إن تُرك بلا جواب اتُّبع السبب.",
        "Suggested from the cause (staff conduct: yes; system outage, procedure or policy, visitor misunderstanding:"
        " no); change it if the case says otherwise. Left unanswered, the cause decides.",
    ),
    "attr_from_supervisor": ("أكّده المشرف", "confirmed by the supervisor"),
    "attr_from_cause": ("تلقائيًا حسب فئة السبب", "by default, from the cause"),
    "yes": ("نعم", "Yes"),
    "no": ("لا", "No"),
    "ev_attributable": ("الاحتساب على الموظف", "Attributable"),
    "excluded": ("مستبعدة من متوسطه", "Excluded from their mean"),
    "excluded_note": (
        "التقييمات التي وُجد في مراجعتها أنها لا تُحتسب على الموظف (كتعطل الأنظمة) لا تدخل في متوسطه،"
        " وتبقى في أرقام المكتب والقسم والمركز.",
        "Ratings whose review found them not attributable to the employee (a system outage, say) are left out"
        " of their figures and stay in the desk's, section's and site's.",
    ),
    "not_ranked_note": (
        "ليس ترتيبًا: لكل متوسط عدد تقييماته (n) وفترة الثقة ٩٥٪.",
        "Not a ranking: each mean comes with its n and its 95% interval.",
    ),
    "saved": ("تم الحفظ", "Saved"),
    "daily_report": ("التقرير اليومي", "Daily report"),
    "by_employee": ("حسب الموظف", "By employee"),
    "by_desk": ("حسب المكتب", "By desk"),
    "by_section": ("حسب القسم", "By section"),
    "by_site": ("حسب المركز", "By site"),
    "by_hour": ("حسب الساعة", "By hour"),
    "by_channel": ("حسب قناة التقييم", "By channel"),
    "by_language": ("حسب لغة التقييم", "By language of rating"),
    "share": ("النسبة", "Share"),
    "lang_not_given": ("غير محددة", "not given"),
    "channel": ("القناة", "Channel"),
    **{f"channel_{code}": pair for code, pair in CHANNEL_LABELS.items()},  # collector/reports/channels.py
    "reviews_opened": ("مراجعات فُتحت", "Reviews opened"),
    "reviews_closed": ("مراجعات أُغلقت", "Reviews closed"),
    "unreviewed": ("تقييمات سلبية لم تُراجع", "Unreviewed negatives"),
    "downloads": ("تنزيل التقرير (Excel أو CSV)", "Download the report (Excel or CSV)"),
    "print": ("طباعة", "Print"),
    "distribution": (
        "توزيع التقييمات (من ١ غير راضٍ جدًا إلى ٥ راضٍ جدًا)",
        "Score distribution (from 1 very dissatisfied to 5 very satisfied)",
    ),
    "mean_30": ("المتوسط اليومي خلال ٣٠ يومًا", "Daily mean over 30 days"),
    "all_sites": ("كل المراكز", "All sites"),
    "interval": ("فترة الثقة ٩٥٪", "95% interval"),
    "trend": ("الاتجاه (٣٠ يومًا)", "Trend (30 days)"),
    "last_30": ("آخر ٣٠ يومًا", "Last 30 days"),
    "rank": ("الترتيب", "Rank"),
    "too_few": ("تقييمات أقل من أن يُحكم بها (بلا ترتيب)", "Too few ratings to judge (not ranked)"),
    "min_n_note": (
        "لا يُرتَّب موظف لديه أقل من {n} تقييمًا خلال ٣٠ يومًا.",
        "No one with fewer than {n} ratings in 30 days is ranked.",
    ),
    "state": ("الحالة", "State"),
    "online": ("متصل", "Online"),
    "offline": ("غير متصل", "Offline"),
    "stopped": ("متوقف", "Stopped"),
    "unknown": ("غير معروف", "Unknown"),
    "last_seen": ("آخر ظهور", "Last seen"),
    "outbox": ("في الانتظار", "Outbox"),
    "gaps": ("فجوات التسلسل", "Seq gaps"),
    "conflicts": ("تعارضات", "Conflicts"),
    "seq_reset": ("بدأ الترقيم من جديد في", "Seq reset at"),
    "seq_jumps": ("قفزات", "jumps"),
    "outbox_replaced": ("استُبدل صندوق الانتظار التالف في", "Damaged outbox replaced at"),
    "clock_skew": ("فرق الساعة (ث)", "Clock skew (s)"),
    "centre_closed": ("المراكز مغلقة الآن", "Centres are closed now"),
    "device": ("الجهاز", "Device"),
    # releases of the tablet's program (issue 13): the version its desk, site or the fleet wants it to run
    "desired_version": ("الإصدار المطلوب", "Desired version"),
    "desired_pending": ("لم يُثبَّت بعد", "not running yet"),
    # the sign-in log (Presence) and what it says on a review
    "presence": ("سجل الحضور", "Sign-in log"),
    "presence_intro": (
        "دخول الموظفين إلى المكاتب وخروجهم منها كما أرسلتها الأجهزة، الأحدث أولًا؛ الأوقات بساعة الجهاز.",
        "Employees signing in and out at the desks as the tablets sent it, newest first; times by the tablet's clock.",
    ),
    "event": ("الحدث", "Event"),
    "pe_sign_in": ("دخول", "Signed in"),
    "pe_sign_out": ("خروج", "Signed out"),
    "presence_cause": ("السبب", "How"),
    "pc_pin": ("برمزه السري", "with their PIN"),
    "pc_manual": ("بنفسه", "by hand"),
    "pc_idle": ("لا تقييمات منذ مدة", "idle: no ratings for a while"),
    "pc_closing": ("وقت إغلاق المكتب", "the desk's closing time"),
    "pc_replaced": ("دخل موظف آخر", "another employee signed in"),
    "pc_restart": ("أُعيد تشغيل الجهاز", "the tablet restarted"),
    "received_at": ("وصل في", "Received"),
    "from_day": ("من يوم", "From"),
    "to_day": ("إلى يوم", "To"),
    "at_tap": ("عند التقييم", "At the tap"),
    "tap_signed_in": ("كان مسجّل الدخول منذ {time}", "signed in since {time}"),
    "tap_not_signed_in": (
        "لم يكن مسجّل الدخول عند التقييم (التقييم يذكر {employee})",
        "not signed in at the tap (the rating names {employee})",
    ),
    "tap_signed_in_then": ("المسجّل حينها: {employee} منذ {time}", "signed in then: {employee} since {time}"),
    "tap_no_record": ("لا يوجد تسجيل دخول لهذا المكتب", "no sign-in recorded for this desk"),
    "no_one": ("لا أحد", "no one"),
    "forbidden": ("ليست لديك صلاحية لهذه الصفحة", "You do not have access to this page"),
    "not_found": ("غير موجود", "Not found"),
    "back": ("رجوع", "Back"),
    "signed_in_as": ("مسجل باسم", "Signed in as"),
    "no_data": ("لا توجد تقييمات في هذا اليوم", "No ratings on this day"),
    "of5": ("من ٥", "of 5"),
    # the employee's own pages
    "me": ("صفحتي", "My page"),
    "my_count": ("تقييماتي", "My ratings"),
    "my_too_few": (
        "التقييمات أقل من أن تُحسب لها فترة ثقة.",
        "Too few ratings yet for an interval.",
    ),
    "not_held": ("{n} لا تُحتسب عليك", "{n} not held against you"),
    "my_reviews": ("مراجعات تقييماتي السلبية", "Reviews of my negative ratings"),
    "my_ratings": ("أحدث تقييماتي", "My latest ratings"),
    "responded": ("أُضيف الرد", "Responded"),
    "add_my_response": ("إضافة ردي", "Add my response"),
    "my_response": ("ردي على هذا التقييم", "My response to this rating"),
    "my_response_col": ("ردي", "My response"),
    "response_kept": (
        "يُضاف ردك إلى سجل المراجعة باسمك ولا يُعدَّل؛ يمكنك إضافة رد آخر.",
        "Your response is added to the review's history under your name and never edited; you may add another.",
    ),
    "no_reviews_yours": ("لا توجد مراجعات لتقييماتك", "No reviews of your ratings"),
    "my_account": ("حسابي", "My account"),
    "my_alerts": ("تنبيهي بتقييماتي السلبية", "Alerts of my negative ratings"),
    "alerts_on": ("مفعّلة إلى", "On, to"),
    "alerts_off": ("غير مفعّلة (يفعّلها مسؤول النظام)", "Off (IT can turn them on)"),
    "response_by": ("كتب الرد", "Response by"),
    # the employee's own desk PIN, set on My page
    "my_pin": ("رمز الدخول في المكتب", "Desk sign-in PIN"),
    "pin_set_since": ("مضبوط منذ", "Set since"),
    "pin_not_set": ("غير مضبوط بعد", "Not set yet"),
    "pin_first": (
        "عيّن رمزك أولا: به تسجّل دخولك على جهاز التقييم في مكتبك (٤ إلى ٨ أرقام).",
        "Set your PIN first: you sign in with it on the rating tablet at your desk (4 to 8 digits).",
    ),
    "pin_how": (
        "على الجهاز: اضغط «دخول الموظف»، اختر اسمك، ثم أدخل رمزك. لا يُحفظ الرمز إلا مُجزّأً ولا يُرسل نصا.",
        "On the tablet: press 'Staff sign in', choose your name, then enter your PIN. "
        "The PIN is kept only as a hash and never sent in clear.",
    ),
    "pin_new": ("الرمز الجديد", "New PIN"),
    "pin_again": ("أعد كتابة الرمز", "The PIN again"),
    "pin_save": ("حفظ الرمز", "Save the PIN"),
    "pin_saved": (
        "حُفظ رمزك، ويصل إلى أجهزة موقعك خلال ثوانٍ.",
        "Your PIN is saved; the tablets of your site have it within seconds.",
    ),
    "pin_mismatch": ("الرمزان غير متطابقين؛ اكتبه مرتين كما هو.", "The two PINs differ; type the same PIN twice."),
    # why a PIN is refused (shared.pins.pin_weakness, PROTOCOL 1.2), keyed pin_<weakness>
    "pin_not_digits": ("الرمز أرقام فقط (٠-٩)، ولا شيء غيرها.", "A PIN is digits (0-9) only."),
    "pin_length": ("الرمز من ٤ إلى ٨ أرقام.", "A PIN is 4 to 8 digits."),
    "pin_repeated": (
        "لا يصح أن يكون الرمز رقما واحدا مكررا (مثل ١١١١)؛ اختر أرقاما مختلفة.",
        "A PIN cannot be one digit repeated (like 1111); choose digits that differ.",
    ),
    "pin_run": (
        "لا يصح أن يكون الرمز أرقاما متتالية (مثل ١٢٣٤ أو ٩٨٧٦)؛ اختر أرقاما بلا ترتيب.",
        "A PIN cannot be a run of digits (like 1234 or 9876); choose digits in no order.",
    ),
    "pin_not_registered": (
        "رقمك الوظيفي غير مسجل في سجل الموظفين؛ اطلب من مسؤول النظام إضافتك.",
        "Your staff number is not in the employee registry; ask IT to add you.",
    ),
    "pin_no_broker": (
        "لم يُحفظ الرمز: تعذر الوصول إلى أجهزة موقعك الآن. حاول بعد قليل.",
        "The PIN was not saved: the tablets of your site cannot be reached now. Try again shortly.",
    ),
    "self_written": ("بنفسه", "in person"),
    # the admins' Users page
    "users": ("المستخدمون", "Users"),
    "role": ("الدور", "Role"),
    "role_admin": ("مسؤول النظام", "Admin"),
    "role_supervisor": ("مشرف", "Supervisor"),
    "role_viewer": ("مطّلع على التقارير", "Viewer"),
    "role_employee": ("موظف (يرى تقييماته فقط)", "Employee (sees only their own)"),
    "employee_id": ("الرقم الوظيفي", "Staff number"),
    "employee_id_hint": ("(لحساب الموظف فقط)", "(for an employee account only)"),
    "uev_notify": ("تغيير تنبيهات", "Alerts changed for"),
    "err_employee": (
        "حساب الموظف يحتاج رقمه الوظيفي (حتى ٦٤ حرفًا)، ولا يُذكر رقم وظيفي لغيره",
        "An employee account needs its staff number (up to 64 characters); no other account has one",
    ),
    "err_employee_taken": ("لهذا الرقم الوظيفي حساب بالفعل", "This staff number already has an account"),
    "sites": ("المراكز", "Sites"),
    "sites_hint": ("(لا يلزم للمسؤول: يرى كل المراكز)", "(not for admins: they see every site)"),
    "no_sites": ("لا توجد مراكز بعد", "No sites yet"),
    "created": ("أُنشئ", "Created"),
    "account_state": ("الحساب", "Account"),
    "active": ("نشط", "Active"),
    "disabled_since": ("معطّل منذ", "Disabled since"),
    "disable": ("تعطيل", "Disable"),
    "enable": ("تفعيل", "Enable"),
    "reset_password": ("كلمة مرور جديدة", "Reset password"),
    "confirm_disable": ("تعطيل حساب {name}؟ ستنتهي جلساته فورًا.", "Disable {name}? Their sessions end at once."),
    "confirm_reset": (
        "إنشاء كلمة مرور جديدة لـ {name}؟ ستنتهي جلساته فورًا.",
        "Give {name} a new password? Their sessions end at once.",
    ),
    "add_user": ("إضافة مستخدم", "Add a user"),
    "language": ("اللغة", "Language"),
    "password_of": ("كلمة مرور", "Password of"),
    "shown_once": (
        "تظهر هذه الكلمة مرة واحدة فقط ولا تُحفظ؛ سلّمها لصاحبها الآن.",
        "Shown this once and stored nowhere: hand it to its owner now.",
    ),
    "done_disabled": ("عُطّل الحساب وانتهت جلساته", "The account is disabled and its sessions have ended"),
    "done_enabled": ("فُعّل الحساب", "The account is enabled"),
    "account_log": ("سجل تغييرات الحسابات", "Account changes"),
    "by": ("بواسطة", "by"),
    "uev_added": ("أُضيف", "Added"),
    "uev_password": ("كلمة مرور جديدة لـ", "New password for"),
    "uev_disabled": ("عُطّل", "Disabled"),
    "uev_enabled": ("فُعّل", "Enabled"),
    "err_name": (
        "اسم المستخدم من ٢ إلى ٦٤ حرفًا لاتينيًا أو رقمًا أو . _ @ -، ويبدأ بحرف أو رقم",
        "A user name is 2-64 letters, digits or . _ @ -, starting with a letter or digit",
    ),
    "err_role": ("اختر دورًا", "Choose a role"),
    "err_no_site": (
        "اختر مركزًا واحدًا على الأقل للمشرف أو المطّلع",
        "Choose at least one site for a supervisor or viewer",
    ),
    "err_taken": ("يوجد مستخدم بهذا الاسم", "There is already a user with this name"),
    "err_no_user": ("لا يوجد مستخدم بهذا الاسم", "There is no user with this name"),
    "err_self": (
        "لا يمكنك تعطيل حسابك؛ اطلب ذلك من مسؤول آخر",
        "You cannot disable your own account; ask another admin",
    ),
    "err_last_admin": (
        "هذا آخر مسؤول يمكنه الدخول؛ أضف مسؤولًا آخر أو فعّله أولًا",
        "This is the last admin who can sign in; add or enable another admin first",
    ),
    **PERIOD_TEXTS,
    **FLEET_TEXTS,
    **OWNER_TEXTS,
}


# A count in running text. English: "1 rating", "2 ratings". Arabic words change with the
# number in six ways (zero, one, two, 3-10, 11-99, 100+); rather than risk a wrong form
# next to a live number, Arabic says it as a label and a value: "التقييمات: 12".
COUNT_WORDS: dict[str, tuple[str, str, str]] = {  # key: (Arabic label, English one, English other)
    "ratings_n": ("التقييمات", "rating", "ratings"),
    "negatives_n": ("السلبية", "negative rating", "negative ratings"),
}


def count_words(key: str, count: int, lang: str) -> dict[str, str]:
    """The words around a count: ``label`` (before it, Arabic) or ``word`` (after it, English) with both forms."""
    label, one, other = COUNT_WORDS[key]
    if lang == "ar":
        return {"label": label}
    return {"word": one if count == 1 else other, "one": one, "other": other}


def translate(key: str, lang: str, **values: object) -> str:
    pair = TEXTS.get(key)
    if pair is None:
        return key
    text = pair[0] if lang == "ar" else pair[1]
    return text.format(**values) if values else text
