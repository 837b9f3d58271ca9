"""E-mail notifications against a real SMTP server on loopback (aiosmtpd): the digest and reminders in
Bokmål and English, their links and .ics, unsubscribing, idempotent runs and a server stopped mid-run."""

import email
import email.policy
import re
import socket
import threading
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar
from starlette.applications import Starlette
from starlette.testclient import TestClient

from krem_advocacy import cli, site
from krem_advocacy.domain import notifications, responsibility
from krem_advocacy.exchange import mail, notify
from krem_advocacy.store import notify_log, settings
from krem_advocacy.store.connection import opened
from krem_advocacy.store.permissions import Actor
from krem_advocacy.web import unsubscribe
from tests.helpers import ADMIN, TODAY, insert, open_page, texts

BASE = "https://krem.example.org"
D = TODAY.isoformat()


def day(n: int, base: date = TODAY) -> str:
    return (base + timedelta(days=n)).isoformat()


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts, parsed."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((envelope.rcpt_tos, parsed))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for rcpt, m in self.messages if address in rcpt]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free loopback port: (controller, inbox, port)."""
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, inbox, port
    try:
        controller.stop()
    except (AssertionError, RuntimeError):
        pass  # already stopped by the test


def _settings(port: int) -> mail.SmtpSettings:
    return mail.SmtpSettings.from_mapping({"host": "127.0.0.1", "port": port, "security": "none",
                                           "sender": "varsel@krem.example.org"})


@pytest.fixture
def forum(app_db_path):
    """Three subscribers (Kari: editor, Bokmål; Ola: English, public only; Per: no address) and their work,
    dated around TODAY (the runs are given --today)."""
    return make_forum(app_db_path, TODAY)


@pytest.fixture
def current(app_db_path):
    """The same forum dated around the real today (pages count days from the clock)."""
    return make_forum(app_db_path, date.today())


def make_forum(app_db_path, base: date) -> dict:
    def day(n: int) -> str:
        return (base + timedelta(days=n)).isoformat()

    with opened(app_db_path) as db:
        ids = {}
        ids["krem"] = insert(db, "organisations", name="KREM", short_name="KREM", kind="forum_member")
        ids["bfd"] = insert(db, "organisations", name="Barne- og familiedepartementet", short_name="BFD",
                            kind="department")
        ids["kari"] = insert(db, "people", name="Kari Nordmann", side="forum", organisation_id=ids["krem"],
                             email="kari@krem.example.org")
        ids["ola"] = insert(db, "people", name="Ola Hansen", side="forum", organisation_id=ids["krem"],
                            email="ola@krem.example.org")
        ids["per"] = insert(db, "people", name="Per Uten", side="forum", organisation_id=ids["krem"])
        ids["barnetrygd"] = insert(db, "hoeringer", title="Endringer i barnetrygdloven", department_id=ids["bfd"],
                                   deadline=day(14), internal_deadline=day(7), our_status="svarer",
                                   responsible_person_id=ids["kari"])
        ids["secret"] = insert(db, "hoeringer", title="Intern vurdering av bostøtte", department_id=ids["bfd"],
                               deadline=day(10), internal_deadline=day(1), our_status="til_vurdering",
                               is_internal=1, responsible_person_id=ids["kari"])
        ids["late"] = insert(db, "hoeringer", title="Forfalt høring om sosialhjelp", department_id=ids["bfd"],
                             deadline=day(-3), internal_deadline=day(-10), our_status="svarer",
                             responsible_person_id=ids["ola"])
        ids["ku"] = insert(db, "meetings", title="KU-møte om barnefattigdom", kind="ku",
                           starts_at=day(10) + "T12:00", place="AID", prep_deadline=day(1))
        ids["item"] = insert(db, "agenda_items", meeting_id=ids["ku"], position=1, title="Innlegg om bostøtte",
                             responsible_person_id=ids["ola"])
        ids["old"] = insert(db, "meetings", title="KU-møte i januar", kind="ku", starts_at=day(-46) + "T12:00")
        ids["tilsagn"] = insert(db, "tilsagn", meeting_id=ids["old"], text="Se på satsene i bostøtten",
                                status="aapen", follow_up_person_id=ids["kari"])
        ids["year"] = insert(db, "budget_years", budget_year=2027, prop1s_on="2026-10-07",
                             hearing_application_deadline="2026-10-14")
        db.conn.commit()
        notify_log.subscribe(db, ADMIN, ids["kari"], True, True, "nb", sees_internal=True)
        notify_log.subscribe(db, ADMIN, ids["ola"], True, True, "en", sees_internal=False)
        notify_log.subscribe(db, ADMIN, ids["per"], True, True, "nb")
    return ids


def _run(path, port, today=TODAY, send=True, factory=mail.Mailer):
    return notify.run(path, today, send=send, smtp=_settings(port), base_url=BASE, mailer_factory=factory)


def _links(at) -> list[tuple[str, str]]:
    """(label, query) of every page link, in order (record links are page links)."""
    return [(e.proto.label.replace("\\", ""), e.proto.query_string) for e in at.get("page_link")]


def _parts(message):
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return plain, html


def test_digest_in_both_languages_with_records_dates_links_and_ics(forum, app_db_path, smtp_server):
    _, inbox, port = smtp_server
    result = _run(app_db_path, port)
    assert result.exit_code == 0
    kari = [m for m in inbox.to("kari@krem.example.org") if m["X-KREM-Message-Key"].startswith("digest:")]
    ola = [m for m in inbox.to("ola@krem.example.org") if m["X-KREM-Message-Key"].startswith("digest:")]
    assert len(kari) == len(ola) == 1
    nb, en = kari[0], ola[0]
    assert nb["Subject"].startswith("Ukens frister 02.03.2026")
    assert en["Subject"].startswith("This week's deadlines 02.03.2026")
    assert nb["From"].addresses[0].addr_spec == "varsel@krem.example.org"
    assert nb["To"].addresses[0].display_name == "Kari Nordmann"

    plain, html = _parts(nb)
    for text in (plain, html):
        assert "Endringer i barnetrygdloven" in text
        assert "09.03.2026" in text  # the internal deadline, DD.MM.YYYY
        assert "Intern vurdering av bostøtte" in text  # internal: Kari edits
        assert "KU-møte om barnefattigdom" in text and "Innlegg om bostøtte" in text
        assert "Se på satsene i bostøtten" in text  # the open tilsagn
        assert "07.10.2026" in text and "14.10.2026" in text  # Prop. 1 S and the hearing application deadline
    assert "FORFALT" in plain and "Forfalt høring om sosialhjelp" in plain
    assert "Intern frist for høringssvar" in plain
    assert f"{BASE}/{site.record_path('hoeringer', forum['barnetrygd'])}" in plain
    assert f'href="{BASE}/hoeringer?id={forum["barnetrygd"]}"' in html

    plain_en, html_en = _parts(en)
    assert "Hello Ola Hansen" in plain_en and "OVERDUE" in plain_en and "NEXT 14 DAYS" in plain_en
    assert "Internal deadline for our answer" in plain_en
    assert "Intern vurdering av bostøtte" not in plain_en + html_en  # internal records only go to editors
    assert f"{BASE}/hoeringer?id={forum['barnetrygd']}&lang=en" in plain_en
    assert en["Content-Language"] == "en"

    attachment = next(nb.iter_attachments())
    assert attachment.get_filename() == "krem-frister.ics"
    assert attachment.get_content_type() == "text/calendar"
    calendar = Calendar.from_ical(attachment.get_content())
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    internal = events["Intern frist for høringssvar: Endringer i barnetrygdloven"]
    assert internal.decoded("DTSTART") == TODAY + timedelta(days=7)
    assert str(internal["URL"]) == f"{BASE}/hoeringer?id={forum['barnetrygd']}"


def test_the_links_in_a_message_open_the_record(forum, app_db_path, smtp_server):
    _, inbox, port = smtp_server
    _run(app_db_path, port)
    plain, _ = _parts(next(m for m in inbox.to("ola@krem.example.org") if "digest" in m["X-KREM-Message-Key"]))
    link = re.search(re.escape(BASE) + rf"/hoeringer\?id={forum['barnetrygd']}[^\s]*", plain).group(0)
    params = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    assert params == {"id": str(forum["barnetrygd"]), "lang": "en"}
    at = open_page("pages/hoeringer.py", **params)
    assert at.title[0].value == "Endringer i barnetrygdloven"
    assert "Internal deadline" in texts(at) or "Deadline" in texts(at)


def test_reminders_go_7_and_1_day_before_and_to_the_responsible_person(forum, app_db_path, smtp_server):
    _, inbox, port = smtp_server
    _run(app_db_path, port)
    reminders = [(rcpt, m) for rcpt, m in inbox.messages if m["X-KREM-Message-Key"].startswith("reminder:")]
    subjects = sorted((rcpt[0], m["Subject"]) for rcpt, m in reminders)
    assert subjects == [
        ("kari@krem.example.org", "Påminnelse: Intern frist for høringssvar 03.03.2026 – Intern vurdering av bostøtte"),
        ("kari@krem.example.org", "Påminnelse: Intern frist for høringssvar 09.03.2026 – Endringer i barnetrygdloven"),
        ("ola@krem.example.org", "Reminder: Meeting preparation deadline 03.03.2026 – Innlegg om bostøtte"),
    ]
    ola = next(m for rcpt, m in reminders if "ola@krem.example.org" in rcpt)
    plain, html = _parts(ola)
    assert "tomorrow" in plain and f"{BASE}/moeter?id={forum['ku']}&lang=en" in plain
    assert ola["List-Unsubscribe"].startswith(f"<{BASE}/notifications/unsubscribe?p={forum['ola']}&w=reminders")
    assert ola["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Six days on, the barnetrygd høring is one day from its internal deadline: its second reminder.
    inbox.messages.clear()
    _run(app_db_path, port, today=TODAY + timedelta(days=6))
    assert [m["Subject"] for _, m in inbox.messages if "reminder" in m["X-KREM-Message-Key"]] == [
        "Påminnelse: Intern frist for høringssvar 09.03.2026 – Endringer i barnetrygdloven"]
    assert "i morgen" in _parts(inbox.messages[0][1])[0]


def test_running_twice_sends_each_message_once_and_a_missing_address_is_listed(forum, app_db_path, smtp_server,
                                                                               monkeypatch, tmp_path, capsys):
    _, inbox, port = smtp_server
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
                       'sender = "varsel@krem.example.org"\n', encoding="utf-8")
    monkeypatch.setenv("KREM_SECRETS", str(secrets))
    assert cli.main(["notify", "--send", "--today", D]) == 0
    first = capsys.readouterr().out
    assert len(inbox.messages) == 5  # two digests, three reminders
    assert "skipped  Per Uten <->  digest  (no e-mail address)" in first
    assert cli.main(["notify", "--send", "--today", D]) == 0
    second = capsys.readouterr().out
    assert len(inbox.messages) == 5
    assert "0 sent, 0 failed, 1 skipped, 5 already sent" in second
    with opened(app_db_path) as db:
        assert db.execute("SELECT COUNT(*) FROM notification_log WHERE result = 'sent'").fetchone()[0] == 5
        assert db.execute("SELECT COUNT(*) FROM notification_runs WHERE mode = 'send'").fetchone()[0] == 2


def test_dry_run_prints_who_would_get_what_and_sends_nothing(forum, app_db_path, smtp_server, monkeypatch,
                                                             tmp_path, capsys):
    _, inbox, _ = smtp_server
    monkeypatch.setenv("KREM_SECRETS", str(tmp_path / "none.toml"))
    assert cli.main(["notify", "--dry-run", "--today", D]) == 0
    out = capsys.readouterr().out
    assert "would send  Kari Nordmann <kari@krem.example.org>  digest" in out
    assert "would send  Ola Hansen <ola@krem.example.org>  reminder meeting_prep 2026-03-03 «Innlegg om bostøtte»" in out
    assert "5 would be sent, 1 skipped, 0 already sent" in out
    assert inbox.messages == []
    # --send without [smtp] says so and exits non-zero.
    assert cli.main(["notify", "--send", "--today", D]) == 2
    assert "[smtp]" in capsys.readouterr().err


def test_a_server_stopped_mid_run_leaves_every_message_delivered_exactly_once(forum, app_db_path, smtp_server):
    controller, inbox, port = smtp_server

    class StopsAfterOne(mail.Mailer):
        def send(self, message):
            super().send(message)
            if len(inbox.messages) == 1:
                controller.stop()  # the server goes away after accepting one message

    result = _run(app_db_path, port, factory=StopsAfterOne)
    assert result.exit_code == 1
    assert result.count("sent") == 1 and result.count("failed") == 4
    assert all(o.reason for o in result.outcomes if o.status == "failed")
    delivered = [m["X-KREM-Message-Key"] for _, m in inbox.messages]

    again = Controller(inbox, hostname="127.0.0.1", port=port)
    again.start()
    try:
        second = _run(app_db_path, port)
        assert second.exit_code == 0 and second.count("sent") == 4 and second.count("already") == 1
        third = _run(app_db_path, port)
        assert third.count("sent") == 0
    finally:
        again.stop()
    keys = [m["X-KREM-Message-Key"] for _, m in inbox.messages]
    assert len(keys) == len(set(keys)) == 5
    assert delivered[0] in keys
    with opened(app_db_path) as db:
        failed = db.execute("SELECT COUNT(*) FROM notification_log WHERE result = 'failed'").fetchone()[0]
    assert failed == 4


def test_the_unsubscribe_link_turns_the_subscription_off(forum, app_db_path, smtp_server):
    _, inbox, port = smtp_server
    _run(app_db_path, port)
    digest = next(m for m in inbox.to("kari@krem.example.org") if "digest" in m["X-KREM-Message-Key"])
    plain, _ = _parts(digest)
    link = re.search(r"Meld deg av: (\S+)", plain).group(1)
    path = link.removeprefix(BASE)
    client = TestClient(Starlette(routes=unsubscribe.ROUTES))
    asked = client.get(path)
    assert asked.status_code == 200 and "Vil du slutte å få den ukentlige oversikten" in asked.text
    with opened(app_db_path) as db:
        assert notify_log.subscription(db, forum["kari"])["digest"] == 1  # opening the link changes nothing
    query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    done = client.post(notifications.UNSUBSCRIBE_PATH, data=query)
    assert done.status_code == 200 and "Du er meldt av" in done.text
    with opened(app_db_path) as db:
        sub = notify_log.subscription(db, forum["kari"])
        assert (sub["digest"], sub["reminders"]) == (0, 1)
        assert db.execute("SELECT actor FROM audit_log WHERE table_name = 'notification_subscriptions' "
                          "ORDER BY id DESC").fetchone()[0] == "unsubscribe link"
    # A forged or altered token is refused; Ola's own one-click header works without signing in.
    forged = client.post(notifications.UNSUBSCRIBE_PATH, data={**query, "p": str(forum["ola"])})
    assert forged.status_code == 400
    ola = next(m for m in inbox.to("ola@krem.example.org") if "reminder" in m["X-KREM-Message-Key"])
    one_click = ola["List-Unsubscribe"].strip("<>").removeprefix(BASE)
    assert "You are unsubscribed" in client.post(one_click).text
    inbox.messages.clear()
    _run(app_db_path, port, today=TODAY + timedelta(days=7))  # next Monday: no digest for Kari, no reminder for Ola
    keys = [m["X-KREM-Message-Key"] for _, m in inbox.messages]
    assert not [k for k in keys if k.startswith(f"digest:{forum['kari']}:")]
    assert not [k for k in keys if k.startswith(f"reminder:{forum['ola']}:")]
    assert [k for k in keys if k.startswith(f"digest:{forum['ola']}:")]


def test_the_digest_waits_for_its_weekday_and_a_missed_one_goes_out_later_that_week(forum, app_db_path,
                                                                                    smtp_server):
    _, inbox, port = smtp_server
    _run(app_db_path, port, today=TODAY + timedelta(days=2))  # Wednesday: this week's (Monday's) digest
    keys = {m["X-KREM-Message-Key"] for _, m in inbox.messages}
    assert f"digest:{forum['kari']}:{D}" in keys
    with opened(app_db_path) as db:
        notify_log.subscribe(db, ADMIN, forum["kari"], True, False, "nb", True)
        settings.put(db, "notify_digest_weekday", "4")  # Friday
    inbox.messages.clear()
    _run(app_db_path, port, today=TODAY + timedelta(days=9))  # the next Wednesday: Friday's is not due yet
    assert not [m for _, m in inbox.messages if "digest" in m["X-KREM-Message-Key"]]


def test_my_responsibilities_list_overdue_first(forum, app_db_path):
    with opened(app_db_path) as db:
        kari = responsibility.items_for(db, forum["kari"], TODAY)
        ola = responsibility.items_for(db, forum["ola"], TODAY)
    assert list(kari["title"]) == ["Intern vurdering av bostøtte", "Endringer i barnetrygdloven",
                                   "Se på satsene i bostøtten"]
    assert [d if isinstance(d, str) else None for d in kari["day"]] == [day(1), day(7), None]
    assert list(ola["item_kind"]) == ["hoering", "agenda_item"]
    assert list(ola["overdue"]) == [True, False]
    assert list(ola["record_table"]) == ["hoeringer", "meetings"]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_page_and_home_block_show_an_editor_their_items(current, app_db_path, lang):
    forum = current
    with opened(app_db_path) as db:
        notify_log.link_account(db, ADMIN, "password:kari", forum["kari"])
    kari = Actor("Kari Nordmann", "editor", account="password:kari")
    at = open_page("pages/mitt_ansvar.py", kari, lang=lang)
    shown = texts(at)
    assert ("Mitt ansvar" if lang == "nb" else "My responsibilities") in shown
    records = [(label, query) for label, query in _links(at) if "id=" in query]
    assert records[:3] == [
        ("Intern vurdering av bostøtte", f"id={forum['secret']}" + ("&lang=en" if lang == "en" else "")),
        ("Endringer i barnetrygdloven", f"id={forum['barnetrygd']}" + ("&lang=en" if lang == "en" else "")),
        ("Se på satsene i bostøtten", f"id={forum['old']}" + ("&lang=en" if lang == "en" else ""))]
    assert ("Intern frist for høringssvar" if lang == "nb" else "Internal deadline for our answer") in shown
    home = open_page(None, kari, lang=lang)
    assert ("Se alt du er ansvarlig for" if lang == "nb" else "See everything you are responsible for") in [
        label for label, _ in _links(home)]
    assert ("Mitt ansvar" if lang == "nb" else "My responsibilities") in texts(home)
    viewer = open_page("pages/mitt_ansvar.py", lang=lang)
    assert "Endringer i barnetrygdloven" not in [label for label, _ in _links(viewer)]
    assert ("Logg inn som redaktør" if lang == "nb" else "Sign in as an editor") in texts(viewer)


def test_an_account_is_a_person_by_secrets_link_or_address(forum, app_db_path):
    with opened(app_db_path) as db:
        assert responsibility.person_for_account(db, "password:x", None, "Ola Hansen") == forum["ola"]
        assert responsibility.person_for_account(db, "password:x", None, str(forum["kari"])) == forum["kari"]
        assert responsibility.person_for_account(db, "email:ola@krem.example.org", "ola@krem.example.org") == forum["ola"]
        assert responsibility.person_for_account(db, "password:nobody", None) is None


def test_administrasjon_sends_a_test_message_and_shows_the_runs(forum, app_db_path, smtp_server):
    _, inbox, port = smtp_server
    _run(app_db_path, port)
    secrets = {"smtp": {"host": "127.0.0.1", "port": port, "security": "none", "sender": "varsel@krem.example.org"}}
    me = Actor("Ada Admin", "admin", email="ada@krem.example.org", account="password:ada")
    at = open_page("pages/administrasjon.py", me, secrets=secrets)
    shown = texts(at)
    assert "E-postvarsler" in shown and "Siste kjøringer" in shown
    assert "Kari Nordmann" in at.dataframe[-3].value.to_string()  # the subscribers
    assert "sendt" in at.dataframe[-1].value.to_string()  # the sent log
    assert "Per Uten har ingen gyldig e-postadresse" in shown
    at.button(key="notify_test").click().run()
    assert "Testmeldingen er sendt til ada@krem.example.org." in texts(at)
    test = inbox.to("ada@krem.example.org")
    assert len(test) == 1 and test[0]["Subject"] == "Testmelding fra KREM påvirkning"


def test_a_subscriber_is_saved_on_administrasjon(forum, app_db_path):
    me = Actor("Ada Admin", "admin", account="password:ada")
    at = open_page("pages/administrasjon.py", me, lang="en")
    at.selectbox(key="notify_person").set_value(forum["per"])
    at.selectbox(key="notify_language").set_value("en")
    at.checkbox(key="notify_digest").uncheck()
    at.button[[b.label for b in at.button].index("Save subscription")].click().run()
    with opened(app_db_path) as db:
        sub = notify_log.subscription(db, forum["per"])
    assert (sub["digest"], sub["reminders"], sub["language"]) == (0, 1, "en")
    assert "The subscription is saved." in texts(at)


def test_next_budget_dates_and_reminder_days_setting(forum, app_db_path):
    with opened(app_db_path) as db:
        assert notifications.next_budget_dates(db, TODAY)["prop1s_on"] == "2026-10-07"
        assert notifications.reminder_days(db) == (7, 1)
    assert notifications.parse_days("1, 7, 7, x, 99") == (7, 1)
    assert notifications.digest_day(date(2026, 3, 4), 0) == date(2026, 3, 2)
    assert notifications.digest_day(date(2026, 3, 4), 4) is None


def test_the_meeting_page_names_who_prepares_an_innlegg_and_follows_a_tilsagn_up(current, app_db_path):
    assert "Forberedes av Ola Hansen" in texts(open_page("pages/moeter.py", ADMIN, id=str(current["ku"])))
    assert "følges opp av Kari Nordmann" in texts(open_page("pages/moeter.py", ADMIN, id=str(current["old"])))
