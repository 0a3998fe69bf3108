"""Page texts of a review's fair hearing (approval of a formal warning, the employee's answer and appeal)."""

from __future__ import annotations

HEARING_TEXTS: dict[str, tuple[str, str]] = {  # key: (Arabic, English)
    "ev_pending_approval": ("إنذار رسمي مقترح بانتظار الاعتماد", "Formal warning proposed, awaiting approval"),
    "ev_approved": ("اعتُمد الإغلاق", "Closing approved"),
    "ev_appealed": ("تظلّم الموظف", "Employee appealed"),
    "ev_decided": ("البتّ في التظلّم", "Appeal decided"),
    "attr_from_appeal": ("بقرار التظلّم", "by the appeal's decision"),
    "pending_approval": ("بانتظار الاعتماد", "Pending approval"),
    "pending_title": ("إغلاق مقترح بانتظار الاعتماد", "A closing awaits approval"),
    "pending_explain": (
        "الإنذار الرسمي لا يسري حتى يعتمده مشرف آخر في الموقع أو مدير النظام؛ وتبقى المراجعة مفتوحة حتى ذلك الحين"
        " وتُحسب في التقارير مراجعةً مفتوحة.",
        "A formal warning takes effect only when another supervisor of the site or an admin approves it; until then"
        " the review stays open and counts as open in the reports.",
    ),
    "proposed_by": ("اقترحه", "Proposed by"),
    "approve": ("اعتماد الإنذار وإغلاق المراجعة", "Approve the warning and close the review"),
    "approve_not_yours": (
        "أنت من اقترح هذا الإنذار؛ يعتمده مشرف آخر في الموقع أو مدير النظام.",
        "You proposed this warning; another supervisor of the site or an admin approves it.",
    ),
    "saved_pending": (
        "حُفظ الإغلاق، وهو بانتظار اعتماد مشرف آخر أو مدير النظام",
        "Saved: the closing awaits another supervisor's or an admin's approval",
    ),
    "approved_by": ("اعتمده", "Approved by"),
    "appeal": ("التظلّم", "Appeal"),
    "appeal_by": ("قدّمه", "Appealed by"),
    "appeal_waiting": ("بانتظار القرار", "Awaiting a decision"),
    "appeal_upheld": (
        "قُبل التظلّم: لا يُحتسب التقييم على الموظف",
        "Upheld: the rating no longer counts against the employee",
    ),
    "appeal_dismissed": ("رُفض التظلّم", "Dismissed"),
    "decide_appeal": ("البتّ في التظلّم", "Decide the appeal"),
    "uphold_q": ("هل يُقبل التظلّم؟", "Is the appeal upheld?"),
    "uphold_yes": (
        "نعم، يُقبل ويخرج التقييم من أرقام الموظف",
        "Yes: uphold it; the rating leaves the employee's figures",
    ),
    "uphold_no": ("لا، يُرفض ويبقى التقييم محتسبًا", "No: dismiss it; the rating still counts"),
    "decision_note": ("سبب القرار", "Reason for the decision"),
    "decide_not_yours": (
        "أنت من أغلق هذه المراجعة؛ يبتّ في تظلّمها مشرف آخر أو مدير النظام.",
        "You closed this review; another supervisor or an admin decides its appeal.",
    ),
    "decided_by": ("بتّ فيه", "Decided by"),
    "site_default_causes": (
        "أسباب خارجة عن يد الموظف في هذا الموقع، لا تُحتسب عليه افتراضيًا:",
        "Causes outside the employee's control at this site, not held against them by default:",
    ),
    "answer_before_close": (
        "تقييم سلبي يذكرك قيد المراجعة: يمكنك كتابة ردك قبل إغلاقها، ويراه المشرف في صفحة المراجعة.",
        "A negative rating names you and is under review: you may write your answer before the review closes;"
        " the supervisor sees it on the review page.",
    ),
    "my_appeals": ("التظلّم من مراجعة", "Appeal a review"),
    "appeal_explain": (
        "يمكنك التظلّم مرة واحدة خلال ٧ أيام من إغلاق مراجعة احتسبت التقييم عليك؛ يبتّ فيه مشرف غير الذي أغلقها،"
        " وإن قُبل خرج التقييم من أرقامك.",
        "You may appeal once within 7 days of the closing of a review that holds you to account; a supervisor other"
        " than the one who closed it decides, and if it is upheld the rating leaves your figures.",
    ),
    "appeal_until": ("آخر موعد", "Until"),
    "appeal_text": ("سبب تظلّمك", "Why the review should not hold you to account"),
    "send_appeal": ("إرسال التظلّم", "Send the appeal"),
    "appeal_sent": ("أُرسل تظلّمك، وسيبتّ فيه مشرف آخر", "Your appeal was sent; another supervisor will decide it"),
    "my_appeal_col": ("التظلّم", "Appeal"),
    "can_appeal": ("يمكنك التظلّم", "You may appeal"),
    "appeal_refused_awaiting_approval": (
        "هذه المراجعة بانتظار اعتماد إنذار رسمي؛ يمكنك التظلّم بعد اعتماده",
        "This review awaits approval of a formal warning; you may appeal once it is approved",
    ),
    "appeal_refused_still_open": (
        "هذه المراجعة ما زالت مفتوحة: أضف ردك عليها؛ ويمكنك التظلّم بعد إغلاقها",
        "This review is still open: add your response instead; you may appeal once it closes",
    ),
    "appeal_refused_again": (
        "سبق أن تظلّمت من هذه المراجعة؛ التظلّم مرة واحدة",
        "You have already appealed this review; an appeal is taken once",
    ),
    "appeal_refused_not_held": (
        "هذه المراجعة لا تحتسب التقييم عليك، فلا يوجد ما يُتظلّم منه",
        "This review does not hold you to account: there is nothing to appeal",
    ),
    "appeal_refused_late": (
        "انتهت مهلة التظلّم ({days} أيام) في {ended} (أُغلقت المراجعة في {closed})",
        "The {days} days to appeal ended on {ended} (the review closed on {closed})",
    ),
    "warning_pending_me": ("إنذار رسمي مقترح بانتظار الاعتماد", "A formal warning is proposed, awaiting approval"),
}
