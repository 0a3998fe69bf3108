"""Page texts in Arabic (the default, right to left) and English."""

from __future__ import annotations

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
    "saved": ("تم الحفظ", "Saved"),
    "daily_report": ("التقرير اليومي", "Daily report"),
    "by_employee": ("حسب الموظف", "By employee"),
    "by_desk": ("حسب المكتب", "By desk"),
    "by_section": ("حسب القسم", "By section"),
    "by_site": ("حسب المركز", "By site"),
    "by_hour": ("حسب الساعة", "By hour"),
    "reviews_opened": ("مراجعات فُتحت", "Reviews opened"),
    "reviews_closed": ("مراجعات أُغلقت", "Reviews closed"),
    "unreviewed": ("تقييمات سلبية لم تُراجع", "Unreviewed negatives"),
    "csv": ("تنزيل CSV", "Download CSV"),
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
    "silent": ("المكتب مفتوح والجهاز صامت", "Desk open but tablet silent"),
    "centre_closed": ("المراكز مغلقة الآن", "Centres are closed now"),
    "device": ("الجهاز", "Device"),
    "forbidden": ("ليست لديك صلاحية لهذه الصفحة", "You do not have access to this page"),
    "not_found": ("غير موجود", "Not found"),
    "back": ("رجوع", "Back"),
    "signed_in_as": ("مسجل باسم", "Signed in as"),
    "no_data": ("لا توجد تقييمات في هذا اليوم", "No ratings on this day"),
    "of5": ("من ٥", "of 5"),
    # the admins' Users page
    "users": ("المستخدمون", "Users"),
    "role": ("الدور", "Role"),
    "role_admin": ("مسؤول النظام", "Admin"),
    "role_supervisor": ("مشرف", "Supervisor"),
    "role_viewer": ("مطّلع على التقارير", "Viewer"),
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
