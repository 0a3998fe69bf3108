-- The schema (v33) of a fresh collector database, as the named steps make it.
-- Regenerated deliberately whenever a step is added; an old database must upgrade to exactly this.
CREATE TABLE "alert_log" (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('negative', 'digest', 'trend', 'owner', 'escalation')),
        site_id TEXT,
        rating_id TEXT,
        day TEXT,
        channel TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        ok INTEGER NOT NULL,
        error TEXT,
        at TEXT NOT NULL
    );
CREATE INDEX alert_log_rating ON alert_log (rating_id);
CREATE TABLE answer_rollups (
        day TEXT NOT NULL,
        site_id TEXT NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (day, site_id, question, answer)
    ) WITHOUT ROWID;
CREATE TABLE "api_tokens" (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'viewer', 'integration')),
        sites TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        revoked_at TEXT
    );
CREATE TABLE callbacks (
        rating_id TEXT PRIMARY KEY REFERENCES ratings (id),
        phone TEXT,
        asked_at TEXT NOT NULL,
        outcome TEXT CHECK (outcome IN ('reached', 'no_answer', 'declined')),
        note TEXT,
        done_at TEXT,
        done_by TEXT,
        erased_at TEXT,
        thanked_at TEXT
    );
CREATE INDEX callbacks_kept ON callbacks (rating_id) WHERE phone IS NOT NULL;
CREATE TABLE closure_rollups (
        day TEXT NOT NULL,
        site_id TEXT NOT NULL,
        cause TEXT NOT NULL,
        action TEXT NOT NULL,
        attributable INTEGER NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (day, site_id, cause, action, attributable)
    ) WITHOUT ROWID;
CREATE TABLE collector_secrets (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        made_at TEXT NOT NULL
    );
CREATE TABLE dead_letters (
        id INTEGER PRIMARY KEY,
        topic TEXT NOT NULL,
        device_id TEXT,
        payload BLOB NOT NULL,
        reason TEXT NOT NULL,
        received_at TEXT NOT NULL
    );
CREATE TABLE desks (
        site_id TEXT NOT NULL REFERENCES sites(site_id),
        desk_id TEXT NOT NULL,
        section_id TEXT,
        config TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (site_id, desk_id)
    );
CREATE TABLE device_events (
        id INTEGER PRIMARY KEY,
        device_id TEXT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}'
    );
CREATE INDEX device_events_device ON device_events (device_id, id);
CREATE TABLE device_seq_runs (
        device_id TEXT NOT NULL,
        run INTEGER NOT NULL,
        ratings INTEGER NOT NULL,
        seqs INTEGER NOT NULL,
        lo INTEGER NOT NULL,
        hi INTEGER NOT NULL,
        jumps INTEGER NOT NULL,
        jumped INTEGER NOT NULL,
        PRIMARY KEY (device_id, run)
    ) WITHOUT ROWID;
CREATE TABLE devices (
        device_id TEXT PRIMARY KEY,
        site_id TEXT,
        desk_id TEXT,
        config TEXT,
        provisioned INTEGER NOT NULL DEFAULT 0,
        revoked_at TEXT,
        state TEXT NOT NULL DEFAULT 'unknown',
        status_at TEXT,
        last_seen TEXT,
        outbox INTEGER,
        employee_id TEXT,
        app_version TEXT,
        reported_seq INTEGER,
        clock_skew_s REAL,
        first_seen TEXT
    , conflicts INTEGER NOT NULL DEFAULT 0, outbox_replaced_at TEXT, seq_run INTEGER NOT NULL DEFAULT 1, seq_resets INTEGER NOT NULL DEFAULT 0, last_reset_at TEXT, clock_skew_at TEXT, free_disk_mb INTEGER, temperature_c REAL, health_at TEXT, update_version TEXT, update_state TEXT, update_reason TEXT, update_at TEXT);
CREATE INDEX devices_desk ON devices (site_id, desk_id);
CREATE TABLE digests (
        site_id TEXT NOT NULL,
        day TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        negatives INTEGER NOT NULL,
        PRIMARY KEY (site_id, day)
    );
CREATE TABLE employee_events (
        id INTEGER PRIMARY KEY,
        employee_id TEXT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}'
    );
CREATE INDEX employee_events_employee ON employee_events (employee_id, id);
CREATE TABLE employees (
        employee_id TEXT PRIMARY KEY,
        name_ar TEXT NOT NULL,
        name_en TEXT NOT NULL,
        site_id TEXT NOT NULL,
        section_id TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        pin_hash TEXT,
        pin_set_at TEXT,
        updated_at TEXT NOT NULL
    , pin_withdrawn_at TEXT);
CREATE INDEX employees_site ON employees (site_id, active);
CREATE TABLE enrolment_codes (
        lookup TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        sealed BLOB,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT,
        used_from TEXT,
        revoked_at TEXT
    );
CREATE INDEX enrolment_codes_device ON enrolment_codes (device_id);
CREATE TABLE excluded_rollups (
        day TEXT NOT NULL,
        site_id TEXT NOT NULL,
        employee_id TEXT NOT NULL,
        score INTEGER NOT NULL,
        negative INTEGER NOT NULL,
        cause TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (day, site_id, employee_id, score, negative, cause)
    ) WITHOUT ROWID;
CREATE TABLE language_rollups (
        day TEXT NOT NULL,
        site_id TEXT NOT NULL,
        lang TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (day, site_id, lang)
    ) WITHOUT ROWID;
CREATE TABLE login_failures (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        client TEXT NOT NULL,
        at TEXT NOT NULL
    );
CREATE INDEX login_failures_at ON login_failures (at);
CREATE TABLE month_rollups (
        month TEXT NOT NULL,
        site_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        employee_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        n1 INTEGER NOT NULL,
        n2 INTEGER NOT NULL,
        n3 INTEGER NOT NULL,
        n4 INTEGER NOT NULL,
        n5 INTEGER NOT NULL,
        negatives INTEGER NOT NULL,
        PRIMARY KEY (month, site_id, device_id, employee_id, channel)
    ) WITHOUT ROWID;
CREATE TABLE presence (
        id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        employee_id TEXT NOT NULL,
        event TEXT NOT NULL CHECK (event IN ('sign_in', 'sign_out')),
        cause TEXT NOT NULL,
        at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        site_id TEXT,
        desk_id TEXT
    );
CREATE INDEX presence_device_at ON presence (device_id, at);
CREATE INDEX presence_employee_at ON presence (employee_id, at);
CREATE INDEX presence_site_at ON presence (site_id, at);
CREATE TABLE purges (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        ran_at TEXT NOT NULL,
        cutoff TEXT NOT NULL,
        ratings INTEGER NOT NULL,
        dead_letters INTEGER NOT NULL
    );
CREATE TABLE rating_links (
        token_hash TEXT PRIMARY KEY,
        site_id TEXT NOT NULL,
        visit_id TEXT NOT NULL,
        desk_id TEXT,
        employee_id TEXT,
        phone TEXT,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT,
        rating_id TEXT,
        FOREIGN KEY (site_id, visit_id) REFERENCES visits (site_id, visit_id)
    );
CREATE INDEX rating_links_phone ON rating_links (expires_at) WHERE phone IS NOT NULL;
CREATE INDEX rating_links_visit ON rating_links (site_id, visit_id);
CREATE TABLE rating_rollups (
        day TEXT NOT NULL,
        hour INTEGER NOT NULL,
        site_id TEXT NOT NULL,
        desk_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        employee_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        n1 INTEGER NOT NULL,
        n2 INTEGER NOT NULL,
        n3 INTEGER NOT NULL,
        n4 INTEGER NOT NULL,
        n5 INTEGER NOT NULL,
        negatives INTEGER NOT NULL,
        PRIMARY KEY (day, site_id, desk_id, employee_id, channel, hour, device_id)
    ) WITHOUT ROWID;
CREATE TABLE ratings (
        id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        employee_id TEXT,
        score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
        reasons TEXT NOT NULL DEFAULT '[]',
        visit_id TEXT,
        lang TEXT,
        created_at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        site_id TEXT,
        desk_id TEXT,
        negative INTEGER NOT NULL
    , run INTEGER NOT NULL DEFAULT 1, counted_at TEXT, channel TEXT NOT NULL DEFAULT 'desk' CHECK (channel IN ('desk', 'call', 'link')), answers TEXT, comment TEXT, comment_purged_at TEXT);
CREATE INDEX ratings_commented ON ratings (received_at) WHERE comment IS NOT NULL;
CREATE INDEX ratings_counted ON ratings (counted_at, id);
CREATE INDEX ratings_created ON ratings (created_at, id);
CREATE INDEX ratings_device_run_seq ON ratings (device_id, run, seq);
CREATE INDEX ratings_employee ON ratings (employee_id, created_at);
CREATE INDEX ratings_site_counted ON ratings (site_id, counted_at);
CREATE INDEX ratings_site_created ON ratings (site_id, created_at);
CREATE INDEX ratings_visit ON ratings (site_id, visit_id) WHERE visit_id IS NOT NULL;
CREATE TABLE reason_month_rollups (
        month TEXT NOT NULL,
        site_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        employee_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        code TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (month, site_id, code, device_id, employee_id, channel)
    ) WITHOUT ROWID;
CREATE TABLE reason_rollups (
        day TEXT NOT NULL,
        hour INTEGER NOT NULL,
        site_id TEXT NOT NULL,
        desk_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        employee_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        code TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (day, site_id, code, desk_id, employee_id, channel, hour, device_id)
    ) WITHOUT ROWID;
CREATE TABLE reason_time_rollups (
        month TEXT NOT NULL,
        site_id TEXT NOT NULL,
        weekday INTEGER NOT NULL,
        hour INTEGER NOT NULL,
        code TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (month, site_id, code, weekday, hour)
    ) WITHOUT ROWID;
CREATE TABLE release_events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('added', 'rollout', 'stopped')),
        version TEXT,
        site_id TEXT NOT NULL DEFAULT '',
        desk_id TEXT NOT NULL DEFAULT '',
        data TEXT NOT NULL DEFAULT '{}'
    );
CREATE TABLE release_targets (
        site_id TEXT NOT NULL,
        desk_id TEXT NOT NULL,
        version TEXT NOT NULL REFERENCES releases (version),
        tablet_url TEXT NOT NULL,
        set_at TEXT NOT NULL,
        set_by TEXT NOT NULL,
        PRIMARY KEY (site_id, desk_id),
        CHECK (site_id <> '' OR desk_id = '')
    );
CREATE TABLE releases (
        version TEXT PRIMARY KEY,
        file_name TEXT NOT NULL,
        size INTEGER NOT NULL CHECK (size > 0),
        sha256 TEXT NOT NULL,
        signature TEXT NOT NULL,
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL
    );
CREATE TABLE review_escalations (
        rating_id TEXT NOT NULL,
        step TEXT NOT NULL CHECK (step IN ('managers', 'director')),
        at TEXT NOT NULL,
        recipients TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (rating_id, step)
    );
CREATE TABLE review_events (
        id INTEGER PRIMARY KEY,
        rating_id TEXT NOT NULL REFERENCES ratings(id),
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}'
    );
CREATE INDEX review_events_rating ON review_events (rating_id, id);
CREATE TABLE review_rotas (
        site_id TEXT PRIMARY KEY,
        rota TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
CREATE TABLE reviews (
        rating_id TEXT PRIMARY KEY REFERENCES ratings(id),
        status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
        opened_at TEXT NOT NULL,
        closed_at TEXT,
        closed_by TEXT,
        cause TEXT,
        action TEXT,
        note TEXT
    , response TEXT, response_at TEXT, attributable INTEGER CHECK (attributable IN (0, 1)), attributable_from TEXT CHECK (attributable_from IN ('supervisor', 'cause')), pending_closure TEXT, approved_by TEXT, approved_at TEXT, appeal_text TEXT, appeal_at TEXT, appeal_upheld INTEGER CHECK (appeal_upheld IN (0, 1)), appeal_decided_by TEXT, appeal_decided_at TEXT, appeal_note TEXT, owner TEXT, due_at TEXT, director_at TEXT, site_id TEXT);
CREATE INDEX reviews_closed ON reviews (closed_at);
CREATE INDEX reviews_not_attributable ON reviews (rating_id) WHERE attributable = 0;
CREATE INDEX reviews_open_director ON reviews (director_at) WHERE status = 'open';
CREATE INDEX reviews_open_due ON reviews (due_at) WHERE status = 'open';
CREATE INDEX reviews_opened ON reviews (opened_at);
CREATE INDEX reviews_owner ON reviews (owner, status);
CREATE INDEX reviews_span ON reviews (opened_at, site_id, owner, status, closed_at, due_at);
CREATE INDEX reviews_status ON reviews (status, opened_at);
CREATE TABLE rollup_zone (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        zone TEXT NOT NULL,
        built_at TEXT NOT NULL
    );
CREATE TABLE rota_turns (
        site_id TEXT NOT NULL,
        section_id TEXT NOT NULL,
        last_owner TEXT NOT NULL,
        PRIMARY KEY (site_id, section_id)
    );
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT);
CREATE TABLE sections (
        site_id TEXT NOT NULL REFERENCES sites(site_id),
        section_id TEXT NOT NULL,
        name_ar TEXT NOT NULL,
        name_en TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (site_id, section_id)
    );
CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        csrf TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE site_trends (
        site_id TEXT PRIMARY KEY,
        thresholds TEXT NOT NULL
    );
CREATE TABLE sites (
        site_id TEXT PRIMARY KEY,
        name_ar TEXT NOT NULL,
        name_en TEXT NOT NULL,
        updated_at TEXT NOT NULL
    , not_attributable_causes TEXT);
CREATE TABLE staff_hashes_sent (
        device_id TEXT NOT NULL,
        employee_id TEXT NOT NULL,
        first_sent_at TEXT NOT NULL,
        last_sent_at TEXT NOT NULL,
        PRIMARY KEY (device_id, employee_id)
    );
CREATE TABLE theme_rollups (
        day TEXT NOT NULL,
        site_id TEXT NOT NULL,
        theme TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (day, site_id, theme)
    ) WITHOUT ROWID;
CREATE TABLE trend_alerts (
        id INTEGER PRIMARY KEY,
        site_id TEXT NOT NULL,
        rule TEXT NOT NULL CHECK (rule IN ('employee_negatives', 'desk_mean_drop', 'site_share_negative')),
        subject TEXT NOT NULL,
        at TEXT NOT NULL,
        value REAL NOT NULL,
        threshold REAL NOT NULL
    );
CREATE INDEX trend_alerts_claim ON trend_alerts (site_id, rule, subject, at);
CREATE TABLE user_events (
        id INTEGER PRIMARY KEY,
        user_name TEXT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}'
    );
CREATE INDEX user_events_user ON user_events (user_name, id);
CREATE TABLE "users" (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'viewer', 'employee')),
        sites TEXT NOT NULL DEFAULT '[]',
        lang TEXT NOT NULL DEFAULT 'ar',
        created_at TEXT NOT NULL,
        password_changed_at TEXT,
        disabled_at TEXT,
        employee_id TEXT CHECK ((role = 'employee') = (employee_id IS NOT NULL)),
        notify_url TEXT
    , away INTEGER NOT NULL DEFAULT 0 CHECK (away IN (0, 1)));
CREATE UNIQUE INDEX users_employee ON users (employee_id) WHERE employee_id IS NOT NULL;
CREATE TABLE visit_rollups (
        day TEXT NOT NULL,
        site_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        recorded INTEGER NOT NULL,
        rated INTEGER NOT NULL,
        PRIMARY KEY (day, site_id, channel)
    ) WITHOUT ROWID;
CREATE TABLE visits (
        site_id TEXT NOT NULL,
        visit_id TEXT NOT NULL,
        desk_id TEXT,
        employee_id TEXT,
        channel TEXT NOT NULL CHECK (channel IN ('desk', 'call')),
        recorded_at TEXT NOT NULL,
        token_name TEXT NOT NULL,
        PRIMARY KEY (site_id, visit_id)
    );
CREATE INDEX visits_recorded ON visits (recorded_at, site_id);
