"""Same-day alerts: their wording, the channels they go out on, the dispatcher and its digest.

Also an employee's own alerts (to_employees) and the admins' security alerts (to_admins).
"""
