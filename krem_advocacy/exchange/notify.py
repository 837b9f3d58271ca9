"""One notification run: plan what is due, leave out what the sent log says was delivered, send the rest.

Never twice, never lost: a message is logged `sent` only after the SMTP server accepted it. When the
connection fails in the middle, that message and every one after it are logged `failed` with the reason,
the run reports them and ends non-zero, and the next run sends exactly those. A recipient without a
usable address is `skipped` and listed, never a crash.
"""

import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from krem_advocacy.domain import notifications
from krem_advocacy.domain.notifications import Planned
from krem_advocacy.exchange.mail import Composer, Mailer, SmtpSettings
from krem_advocacy.store import notify_log
from krem_advocacy.store.connection import opened
from krem_advocacy.store.visibility import restrict_to_public


@dataclass
class Outcome:
    """What became of one planned message: sent, failed, skipped, already (sent before) or planned (dry run)."""

    planned: Planned
    status: str
    reason: str | None = None
    subject: str | None = None


@dataclass
class RunResult:
    """A run's outcomes; `exit_code` is 0 unless a message failed (or mail is not set up for --send)."""

    run_id: int | None
    mode: str
    outcomes: list[Outcome] = field(default_factory=list)
    error: str | None = None

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def exit_code(self) -> int:
        if self.error:
            return 2
        return 1 if self.count("failed") else 0


def _problem_text(problem: str) -> str:
    return {"no_address": "no e-mail address", "invalid_address": "invalid e-mail address"}.get(problem, problem)


def run(db_path: Path | str, today: date, send: bool, smtp: SmtpSettings | None, base_url: str,
        actor: str = "notify", mailer_factory: Callable[[SmtpSettings], Mailer] = Mailer) -> RunResult:
    """Plan today's messages and, with `send`, deliver those not yet delivered (see the module's docstring)."""
    mode = "send" if send else "dry_run"
    with opened(db_path) as db, opened(db_path) as public:
        restrict_to_public(public)
        run_id = notify_log.start_run(db, mode, today.isoformat(), actor)
        planned = notifications.plan(db, public, today)
        done = notify_log.already_sent(db, [p.key for p in planned])
        result = RunResult(run_id, mode)
        todo = []
        for item in planned:
            if item.key in done:
                result.outcomes.append(Outcome(item, "already"))
            elif item.problem:
                result.outcomes.append(Outcome(item, "skipped", _problem_text(item.problem)))
                if send:
                    notify_log.log(db, run_id, item.log_entry(), "skipped", _problem_text(item.problem))
            else:
                todo.append(item)
        if not send:
            result.outcomes += [Outcome(item, "planned") for item in todo]
        elif todo and smtp is None:
            result.error = "e-mail is not set up: add [smtp] (host, port, security, user, password, sender) to the secrets"
            result.outcomes += [Outcome(item, "failed", result.error) for item in todo]
        elif todo:
            composer = Composer(smtp.sender, base_url, notify_log.signing_key(db), smtp.sender_name)
            _deliver(db, run_id, today, todo, composer, smtp, mailer_factory, result)
        notify_log.finish_run(db, run_id, result.count("sent"), result.count("failed"), result.count("skipped"),
                              result.error)
    return result


def _deliver(db, run_id, today, todo, composer, smtp, mailer_factory, result) -> None:
    broken: str | None = None
    try:
        with mailer_factory(smtp) as mailer:
            for item in todo:
                if broken:
                    break
                message = composer.compose(item, today)
                subject = str(message["Subject"])
                try:
                    mailer.send(message)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
                    # This message was refused; the connection is still good for the next one.
                    _failed(db, run_id, item, subject, _reason(error), result)
                    continue
                except (smtplib.SMTPException, OSError) as error:
                    broken = _reason(error)
                    _failed(db, run_id, item, subject, broken, result)
                    continue
                notify_log.log(db, run_id, {**item.log_entry(), "subject": subject}, "sent")
                result.outcomes.append(Outcome(item, "sent", subject=subject))
    except (smtplib.SMTPException, OSError) as error:
        broken = broken or _reason(error)  # could not connect or sign in at all
    if broken:
        finished = {id(o.planned) for o in result.outcomes}
        for item in todo:
            if id(item) not in finished:
                _failed(db, run_id, item, None, broken, result)


def _failed(db, run_id, item, subject, reason, result) -> None:
    notify_log.log(db, run_id, {**item.log_entry(), "subject": subject}, "failed", reason)
    result.outcomes.append(Outcome(item, "failed", reason, subject))


def _reason(error: Exception) -> str:
    text = str(error).strip() or error.__class__.__name__
    return f"{error.__class__.__name__}: {text}"[:500]


def send_test(db_path: Path | str, smtp: SmtpSettings, base_url: str, name: str, email: str, lang: str,
              actor: str, mailer_factory: Callable[[SmtpSettings], Mailer] = Mailer) -> str | None:
    """Send a test message to `email`; returns None when the server accepted it, else the reason. Logged."""
    with opened(db_path) as db:
        run_id = notify_log.start_run(db, "test", date.today().isoformat(), actor)
        composer = Composer(smtp.sender, base_url, notify_log.signing_key(db), smtp.sender_name)
        message = composer.test(name, email, lang)
        entry = {"message_key": f"test:{run_id}", "recipient": email, "kind": "test",
                 "subject": str(message["Subject"])}
        try:
            with mailer_factory(smtp) as mailer:
                mailer.send(message)
        except (smtplib.SMTPException, OSError) as error:
            reason = _reason(error)
            notify_log.log(db, run_id, entry, "failed", reason)
            notify_log.finish_run(db, run_id, 0, 1, 0, reason)
            return reason
        notify_log.log(db, run_id, entry, "sent")
        notify_log.finish_run(db, run_id, 1, 0, 0)
    return None


def report_lines(result: RunResult) -> list[str]:
    """The run as lines for the terminal: who gets (or got) what, and what failed and why."""
    labels = {"planned": "would send", "sent": "sent", "failed": "FAILED", "skipped": "skipped",
              "already": "already sent"}
    lines = []
    for o in result.outcomes:
        p = o.planned
        what = p.kind if p.kind == "digest" else f"reminder {p.content.get('deadline_kind')} {p.due_date}"
        title = "" if p.kind == "digest" else f" «{p.content.get('title')}»"
        line = f"{labels[o.status]:>12}  {p.name} <{p.email or '-'}>  {what}{title}"
        lines.append(line + (f"  ({o.reason})" if o.reason else ""))
    summary = (f"{result.count('sent')} sent, {result.count('failed')} failed, {result.count('skipped')} skipped, "
               f"{result.count('already')} already sent" if result.mode == "send" else
               f"{result.count('planned')} would be sent, {result.count('skipped')} skipped, "
               f"{result.count('already')} already sent")
    if result.error:
        lines.append(f"Error: {result.error}")
    lines.append(summary)
    return lines
