"""E-mail: the digest, reminders and test messages as MIME (plain text + HTML, .ics attached), and SMTP.

The standard library is enough: `email.message.EmailMessage` builds the alternative parts and the
attachment, `smtplib` speaks STARTTLS (port 587) or implicit TLS (port 465) with the system's
certificate checks (`ssl.create_default_context`). Every message to a subscriber carries an
unsubscribe link and the `List-Unsubscribe` / `List-Unsubscribe-Post` headers (RFC 2369, RFC 8058).
"""

import html
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

import pandas as pd

from krem_advocacy import site
from krem_advocacy.domain import notifications
from krem_advocacy.domain.notifications import Planned
from krem_advocacy.exchange import calendar_feed
from krem_advocacy.text import formatting, i18n

SECURITIES = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
TIMEOUT_SECONDS = 30
ICS_NAME = "krem-frister.ics"


@dataclass(frozen=True)
class SmtpSettings:
    """The `[smtp]` secrets: host, port, security (starttls, tls or none), user, password, sender."""

    host: str
    port: int
    security: str = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str = ""
    sender_name: str = "KREM påvirkning"

    @classmethod
    def from_mapping(cls, section: Mapping | None) -> "SmtpSettings | None":
        """The settings from the secrets' `[smtp]` table, or None when no host is set."""
        section = dict(section or {})
        host = str(section.get("host") or "").strip()
        if not host:
            return None
        security = str(section.get("security") or "starttls").strip().lower()
        if security in ("ssl", "implicit", "smtps"):
            security = "tls"
        if security not in SECURITIES:
            raise ValueError(f"[smtp] security must be one of {', '.join(SECURITIES)}, not {security!r}")
        port = int(section.get("port") or DEFAULT_PORTS[security])
        user = str(section.get("user") or "").strip() or None
        sender = str(section.get("sender") or user or "").strip()
        if not notifications.valid_address(sender):
            raise ValueError("[smtp] sender must be an e-mail address")
        return cls(host, port, security, user, section.get("password") or None, sender,
                   str(section.get("sender_name") or cls.sender_name))


class Mailer:
    """One SMTP connection for a run: `with Mailer(settings) as mailer: mailer.send(message)`."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "Mailer":
        s = self.settings
        context = ssl.create_default_context()
        if s.security == "tls":
            self.smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT_SECONDS, context=context)
        else:
            self.smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_SECONDS)
            self.smtp.ehlo()
            if s.security == "starttls":
                self.smtp.starttls(context=context)
                self.smtp.ehlo()
        if s.user:
            self.smtp.login(s.user, s.password or "")
        return self

    def send(self, message: EmailMessage) -> None:
        """Hand one message to the server; raises when it is not accepted for every recipient."""
        refused = self.smtp.send_message(message)
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)

    def __exit__(self, *exc) -> None:
        try:
            if self.smtp is not None:
                self.smtp.quit()
        except (smtplib.SMTPException, OSError):
            pass  # the server is gone already; what it accepted is logged


# ---------------------------------------------------------------- composing


@dataclass(frozen=True)
class Composer:
    """What every message needs: the sender, where links point, and the key that signs unsubscribe links."""

    sender: str
    base_url: str
    key: bytes
    sender_name: str = "KREM påvirkning"

    def link(self, table: str, record_id: int, lang: str) -> str:
        return f"{self.base_url.rstrip('/')}/{site.record_path(table, int(record_id), lang)}"

    def _message(self, planned: Planned, subject: str, text: str, body_html: str, what: str) -> EmailMessage:
        lang = planned.lang
        unsubscribe = notifications.unsubscribe_url(self.base_url, self.key, planned.person_id, what, lang)
        unsubscribe_all = notifications.unsubscribe_url(self.base_url, self.key, planned.person_id, "all", lang)
        why = i18n.t("mail.footer.why_digest" if what == "digest" else "mail.footer.why_reminder", lang)
        text += (f"\n\n-- \n{why}\n{i18n.t('mail.footer.unsubscribe', lang)}: {unsubscribe}\n"
                 f"{i18n.t('mail.footer.unsubscribe_all', lang)}: {unsubscribe_all}\n")
        body_html += (f'<hr><p style="color:#555;font-size:13px">{_e(why)}<br>'
                      f'<a href="{_e(unsubscribe)}">{_e(i18n.t("mail.footer.unsubscribe", lang))}</a> · '
                      f'<a href="{_e(unsubscribe_all)}">{_e(i18n.t("mail.footer.unsubscribe_all", lang))}</a></p>')
        message = self._envelope(planned.name, planned.email, subject, lang)
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message["X-KREM-Message-Key"] = planned.key
        message.set_content(text)
        message.add_alternative(_page(subject, body_html, lang), subtype="html")
        return message

    def _envelope(self, name: str, email: str, subject: str, lang: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = formataddr((self.sender_name, self.sender))
        message["To"] = formataddr((name, email))
        message["Subject"] = subject
        message["Date"] = format_datetime(pd.Timestamp.now(tz="UTC").to_pydatetime())
        message["Message-ID"] = make_msgid(domain=self.sender.rsplit("@", 1)[-1])
        message["Auto-Submitted"] = "auto-generated"  # no out-of-office replies to a robot
        return message

    # -- the digest

    def digest(self, planned: Planned, today: date) -> EmailMessage:
        """The weekly digest in the recipient's language, its deadlines attached as .ics."""
        lang, content, days = planned.lang, planned.content, notifications.DIGEST_DAYS_AHEAD

        def t(key, **values):
            return i18n.t(key, lang, **values)

        count = len(content["deadlines"]) + len(content["tilsagn"])
        subject = t("mail.digest.subject", date=formatting.format_date(planned.due_date), count=count)
        text = [t("mail.digest.hello", name=planned.name), "", t("mail.digest.intro", days=days)]
        page = [f"<h1>{_e(t('mail.digest.title'))}</h1>", f"<p>{_e(t('mail.digest.hello', name=planned.name))}</p>",
                f"<p>{_e(t('mail.digest.intro', days=days))}</p>"]
        for heading, frame in ((t("mail.digest.overdue"), content["overdue"]),
                               (t("mail.digest.upcoming", days=days), content["upcoming"])):
            if frame.empty and frame is content["overdue"]:
                continue
            text += ["", heading.upper()]
            page.append(f"<h2>{_e(heading)}</h2>")
            if frame.empty:
                text.append(t("mail.digest.none_upcoming", days=days))
                page.append(f"<p>{_e(t('mail.digest.none_upcoming', days=days))}</p>")
                continue
            page.append("<ul>")
            for row in frame.itertuples():
                kind = i18n.t(f"deadline.{row.kind}", lang)
                when = f"{formatting.format_date(row.day)} ({formatting.relative_days(int(row.days_left), lang)})"
                url = self.link(row.record_table, row.record_id, lang)
                text.append(f"- {when} · {kind}: {row.title}\n  {url}")
                page.append(f'<li><strong>{_e(when)}</strong> · {_e(kind)}: <a href="{_e(url)}">{_e(row.title)}</a></li>')
            page.append("</ul>")
        ku = content["ku"]
        if ku:
            url = self.link("meetings", ku["id"], lang)
            when = formatting.format_datetime(ku["starts_at"]) + (f" · {ku['place']}" if ku.get("place") else "")
            text += ["", t("mail.digest.ku").upper(), f"{ku['title']} – {when}", url]
            page += [f"<h2>{_e(t('mail.digest.ku'))}</h2>", f'<p><a href="{_e(url)}">{_e(ku["title"])}</a><br>{_e(when)}']
            if ku.get("prep_deadline"):
                prep = t("mail.digest.ku_prep", date=formatting.format_date(ku["prep_deadline"]))
                text.append(prep)
                page.append(f"<br><strong>{_e(prep)}</strong>")
            page.append("</p>")
            if content["agenda"]:
                text.append(t("mail.digest.ku_agenda"))
                text += [f"  {i}. {title}" for i, title in enumerate(content["agenda"], 1)]
                page.append(f"<p>{_e(t('mail.digest.ku_agenda'))}</p><ol>"
                            + "".join(f"<li>{_e(title)}</li>" for title in content["agenda"]) + "</ol>")
            else:
                text.append(t("mail.digest.ku_no_agenda"))
                page.append(f"<p>{_e(t('mail.digest.ku_no_agenda'))}</p>")
        tilsagn = content["tilsagn"]
        if not tilsagn.empty:
            text += ["", t("mail.digest.tilsagn").upper()]
            page += [f"<h2>{_e(t('mail.digest.tilsagn'))}</h2>", "<ul>"]
            for row in tilsagn.itertuples():
                url = self.link("meetings", row.meeting_id, lang)
                source = t("mail.digest.tilsagn_from", meeting=row.meeting, date=formatting.format_date(row.starts_at[:10]))
                who = f" – {row.responsible}" if isinstance(row.responsible, str) and row.responsible else ""
                text.append(f"- {row.text}{who} ({source})\n  {url}")
                page.append(f'<li>{_e(row.text)}{_e(who)} <a href="{_e(url)}">{_e(source)}</a></li>')
            page.append("</ul>")
        year = content["budget"]
        if year:
            url = self.link("budget_years", year["id"], lang)
            heading = t("mail.digest.budget", year=year["budget_year"])
            lines = [t(f"mail.digest.{k}", date=formatting.format_date(year[k]))
                     for k in ("prop1s_on", "hearing_application_deadline") if year.get(k)]
            text += ["", heading.upper(), *lines, url]
            page += [f'<h2><a href="{_e(url)}">{_e(heading)}</a></h2>', "<ul>",
                     *(f"<li>{_e(line)}</li>" for line in lines), "</ul>"]
        text += ["", t("mail.digest.attachment")]
        page.append(f"<p>{_e(t('mail.digest.attachment'))}</p>")
        message = self._message(planned, subject, "\n".join(text), "\n".join(page), "digest")
        # As text with its charset (UTF-8), so mail programs read «ø» in the events as «ø».
        message.add_attachment(self.ics(content["deadlines"], lang).decode("utf-8"), subtype="calendar",
                               filename=ICS_NAME, params={"method": "PUBLISH"})
        return message

    def ics(self, frame: pd.DataFrame, lang: str) -> bytes:
        """The digest's deadlines as an iCalendar file (the calendar feed's events, linking to records)."""
        events = frame.assign(starts_at=None, ends_at=None, place=None)
        return calendar_feed.build_calendar(events, lambda table, rid: self.link(table, rid, lang), lang)

    # -- reminders and tests

    def reminder(self, planned: Planned) -> EmailMessage:
        """A reminder of one deadline the recipient is responsible for."""
        lang, c = planned.lang, planned.content
        kind = i18n.t(f"deadline.{c['deadline_kind']}", lang)
        day = formatting.format_date(c["day"])
        when = formatting.relative_days(c["days_left"], lang)
        subject = i18n.t("mail.reminder.subject", lang, kind=kind, date=day, title=_short(c["title"], 80))
        url = self.link(planned.record_table, planned.record_id, lang)
        what = i18n.t(f"mine.item.{c['item_kind']}", lang)
        context = f" · {c['context']}" if c.get("context") else ""
        intro = i18n.t("mail.reminder.intro", lang, when=when, date=day)
        text = "\n".join([i18n.t("mail.digest.hello", lang, name=planned.name), "", intro, "",
                          f"{kind}: {c['title']}", f"{what}{context}", "",
                          f"{i18n.t('mail.reminder.open', lang)}: {url}"])
        body = (f"<h1>{_e(i18n.t('mail.reminder.title', lang))}</h1>"
                f"<p>{_e(i18n.t('mail.digest.hello', lang, name=planned.name))}</p><p>{_e(intro)}</p>"
                f"<p><strong>{_e(kind)}: {_e(c['title'])}</strong><br>{_e(what + context)}</p>"
                f'<p><a href="{_e(url)}">{_e(i18n.t("mail.reminder.open", lang))}</a></p>')
        return self._message(planned, subject, text, body, "reminders")

    def test(self, name: str, email: str, lang: str) -> EmailMessage:
        """A test message to the administrator who asked for it (no unsubscribe: nothing is subscribed)."""
        subject = i18n.t("mail.test.subject", lang)
        text = i18n.t("mail.test.text", lang, email=email)
        message = self._envelope(name, email, subject, lang)
        message.set_content(text + f"\n\n{self.base_url}\n")
        message.add_alternative(_page(subject, f"<p>{_e(text)}</p><p><a href=\"{_e(self.base_url)}\">"
                                               f"{_e(self.base_url)}</a></p>", lang), subtype="html")
        message["Content-Language"] = _language_tag(lang)
        return message

    def compose(self, planned: Planned, today: date) -> EmailMessage:
        """The message for one planned notification."""
        message = self.digest(planned, today) if planned.kind == "digest" else self.reminder(planned)
        # Set last: adding parts and attachments moves Content-* headers into the first part.
        message["Content-Language"] = _language_tag(planned.lang)
        return message


def _language_tag(lang: str) -> str:
    return "nb" if lang == "nb" else "en"


def _e(value) -> str:
    return html.escape(str(value if value is not None else ""), quote=True)


def _short(text, length: int) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _page(title: str, body: str, lang: str) -> str:
    return (f'<!doctype html><html lang="{"nb" if lang == "nb" else "en"}"><head><meta charset="utf-8">'
            f"<title>{_e(title)}</title></head>"
            '<body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;line-height:1.45;'
            f'color:#1d1d1f;max-width:640px;margin:0 auto;padding:16px">{body}</body></html>')
