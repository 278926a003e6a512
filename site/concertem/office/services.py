"""The office's writes: filing a request, the conversation, changes of state.

Each write checks the rules first (``concertem.office.rules``: who may, and what input is valid) and
refuses with their ``OfficeActionError``. Every change of state goes through
``_transition_record``, which writes the audit row, stamps the times the metrics read, and
queues the e-mails.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import secrets
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concertem.cooperation.models import ActionKind, CooperationAction
from concertem.cooperation.services import action_create_from
from concertem.office import selectors
from concertem.office.models import (
    FINAL_STATES,
    Area,
    Outcome,
    RequestAttachment,
    RequestMessage,
    RequestState,
    RequestTransition,
    Service,
    SupportRequest,
    TerritorialAgent,
)
from concertem.office.rules import (
    DESCRIPTION_MAX,
    MESSAGE_MAX,
    SUBJECT_MAX,
    OfficeActionError,
    S,
    amount_parse,
    attachments_check,
    request_can_handle,
    request_file_check,
    request_view_check,
    text_clean,
    transition_check,
)
from concertem.office.selectors import actor_of
from concertem.office.tasks import metrics_export_task, request_notifications_task
from datasets.execution.actions import ActionImportError

logger = logging.getLogger(__name__)

COOPERATION_PROGRAMME = ("OAM-{year}", "Oficina d'Atenció als Municipis {year}")


def _attachments_save(
    *,
    request: SupportRequest,
    message: RequestMessage | None,
    user,
    checked: list[tuple[UploadedFile, bytes, str, str]],
) -> None:
    for _upload, data, name, content_type in checked:
        extension = name.rsplit(".", 1)[-1].lower()
        extension = "jpg" if extension == "jpeg" else extension
        attachment = RequestAttachment(
            request=request,
            message=message,
            original_name=name,
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=user,
        )
        # A random stored name: the original one is only ever shown, never used as a path.
        attachment.file.save(
            f"{request.reference}/{uuid.uuid4().hex}.{extension}", ContentFile(data), save=False
        )
        attachment.save()


# ---- Filing ----


# Crockford's base 32: no I, L, O or U, so a reference read aloud or copied by hand survives.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 8  # 32**8 ≈ 10**12 per year: not guessable, not countable


def reference_next(year: int) -> str:
    """A random reference (OAM-2026-7KX2M9QD): unlike a counter, it says nothing about how
    many requests there are, and the next one cannot be guessed from one's own."""
    while True:
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        reference = f"OAM-{year}-{code}"
        if not SupportRequest.objects.filter(reference=reference).exists():
            return reference


@transaction.atomic
def request_file(
    *,
    user,
    subject: str,
    description: str,
    service: Service | None = None,
    area: str = "",
    entity_code: str | None = None,
    files: Sequence[UploadedFile] = (),
    now: datetime | None = None,
    is_demo: bool = False,
) -> SupportRequest:
    """File a request for the user's entity and route it to the territory's agent."""
    actor = actor_of(user)
    entity = request_file_check(actor=actor, service=service, entity_code=entity_code)
    subject = text_clean(
        subject or (service.title_local if service else ""),
        limit=SUBJECT_MAX,
        code="subject-empty",
        what=_("The subject"),
    )
    description = text_clean(
        description, limit=DESCRIPTION_MAX, code="description-empty", what=_("The description")
    )
    area = service.area if service is not None else area
    if area not in Area.values:
        raise OfficeActionError(
            _("Choose the area your need belongs to."), code="area-invalid", status=400
        )
    checked = attachments_check(files)
    now = now or timezone.now()
    request = SupportRequest.objects.create(
        reference=reference_next(timezone.localtime(now).year),
        entity_code=entity,
        service=service,
        area=area,
        subject=subject,
        description=description,
        state=S.RECEIVED,
        filed_by=user,
        created_at=now,
        last_activity_at=now,
        is_demo=is_demo,
    )
    _attachments_save(request=request, message=None, user=user, checked=checked)
    agent = selectors.agent_for_entity(entity)
    # Routed before the first audit row is written so that the one "new request" e-mail
    # (sent after commit) already reaches the agent; both steps are still audited.
    request.agent = agent
    _transition_record(
        request=request,
        to_state=S.RECEIVED,
        actor=user,
        note="",
        now=now,
        from_state="",
        notify_text=_("New request: %(subject)s") % {"subject": subject},
    )
    if agent is not None:
        _transition_record(
            request=request,
            to_state=S.ASSIGNED,
            actor=None,
            now=now,
            notify_text="",
            note=_("Routed automatically to %(agent)s, territorial agent.")
            % {"agent": agent.display_name},
        )
    return request


# ---- The conversation ----


@transaction.atomic
def message_post(
    *,
    user,
    request: SupportRequest,
    text: str,
    files: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> RequestMessage:
    actor = actor_of(user)
    request_view_check(actor=actor, request=request)
    if request.is_final:
        raise OfficeActionError(
            _("This request is closed. File a new one if you need more support."),
            code="request-closed",
            status=400,
        )
    text = text_clean(text, limit=MESSAGE_MAX, code="message-empty", what=_("The message"))
    checked = attachments_check(files)
    now = now or timezone.now()
    handler = request_can_handle(actor=actor, request=request)
    side = RequestMessage.Side.OFFICE if handler else RequestMessage.Side.ENTITY
    message = RequestMessage.objects.create(
        request=request, author=user, side=side, text=text, created_at=now
    )
    _attachments_save(request=request, message=message, user=user, checked=checked)
    fields = ["last_activity_at"]
    request.last_activity_at = now
    if handler and request.first_response_at is None:
        request.first_response_at = now
        fields.append("first_response_at")
    request.save(update_fields=fields)
    if side == RequestMessage.Side.ENTITY and request.state == S.WAITING:
        # The entity answered what the agent asked for: the ball is back on our side.
        _transition_record(
            request=request,
            to_state=S.IN_PROGRESS,
            actor=user,
            now=now,
            note=_("The entity answered."),
        )
    else:
        _notify_later(
            request=request,
            actor=user,
            text=_message_event_text(request=request, message=message),
            event={
                "kind": "request_message",
                "actor": message.author_name,
                "key": f"message:{message.pk}",
            },
        )
    return message


def _message_event_text(*, request: SupportRequest, message: RequestMessage) -> str:
    return f"{message.author_name}: {message.text[:500]}"


# ---- State changes ----


@transaction.atomic
def request_transition(
    *,
    user,
    request: SupportRequest,
    to_state: str,
    note: str = "",
    agent: TerritorialAgent | None = None,
    now: datetime | None = None,
) -> SupportRequest:
    """Move a request to ``assigned``, ``in_progress`` or ``waiting`` (resolving and
    declining have their own functions: they need an outcome or a reason)."""
    actor = actor_of(user)
    if to_state in (S.RESOLVED, S.DECLINED):
        raise OfficeActionError(
            _("Use the resolve or decline form."), code="use-resolve", status=400
        )
    transition_check(actor=actor, request=request, to_state=to_state)
    note = (note or "").strip()[:2000]
    if to_state == S.WAITING and not note:
        raise OfficeActionError(
            _("Say what the entity needs to send or answer."), code="note-required", status=400
        )
    if to_state == S.ASSIGNED:
        agent = agent or actor.agent or selectors.agent_for_entity(request.entity_code)
        if agent is None:
            raise OfficeActionError(
                _("Choose the agent to assign."), code="agent-required", status=400
            )
        request.agent = agent
        note = note or _("Assigned to %(agent)s.") % {"agent": agent.display_name}
    _transition_record(
        request=request,
        to_state=to_state,
        actor=user,
        note=note,
        now=now or timezone.now(),
        answered=True,
    )
    return request


@transaction.atomic
def request_resolve(
    *,
    user,
    request: SupportRequest,
    resolution: str,
    outcome: str = Outcome.NONE,
    amount: Decimal | str | None = None,
    public_title: str = "",
    now: datetime | None = None,
) -> SupportRequest:
    """Resolve a request; when it became a grant or a service, create the cooperation
    action (once: the action's id is the request's reference) and link it.

    The action is public (open data), the request is not: its title is ``public_title``
    written by the agent, else the service's name, never the request's subject."""
    actor = actor_of(user)
    transition_check(actor=actor, request=request, to_state=S.RESOLVED)
    resolution = text_clean(
        resolution, limit=DESCRIPTION_MAX, code="resolution-empty", what=_("The resolution")
    )
    if outcome not in Outcome.values:
        raise OfficeActionError(_("Unknown outcome."), code="outcome-invalid", status=400)
    now = now or timezone.now()
    request.resolution = resolution
    request.outcome = outcome
    if outcome != Outcome.NONE:
        request.amount = amount_parse(amount, required=outcome == Outcome.GRANT)
        request.cooperation_action = _cooperation_action_create(
            request=request, now=now, title=action_public_title(request, public_title)
        )
    _transition_record(
        request=request, to_state=S.RESOLVED, actor=user, note=resolution, now=now, answered=True
    )
    return request


@transaction.atomic
def request_decline(
    *, user, request: SupportRequest, reason: str, now: datetime | None = None
) -> SupportRequest:
    actor = actor_of(user)
    transition_check(actor=actor, request=request, to_state=S.DECLINED)
    reason = (reason or "").strip()
    if not reason:
        raise OfficeActionError(
            _("Give the reason for declining: the entity will read it."),
            code="reason-required",
            status=400,
        )
    request.resolution = reason[:DESCRIPTION_MAX]
    _transition_record(
        request=request,
        to_state=S.DECLINED,
        actor=user,
        note=reason,
        now=now or timezone.now(),
        answered=True,
    )
    return request


def action_public_title(request: SupportRequest, written: str = "") -> str:
    """The public title of the action a request became: what the agent wrote, else the
    service's name, else the area's ("Technical support: Environment")."""
    title = " ".join((written or "").split())[:300]
    if title:
        return title
    if request.service is not None:
        return request.service.title_local[:300]
    return (_("Technical support: %(area)s") % {"area": request.get_area_display()})[:300]


def _cooperation_action_create(*, request: SupportRequest, now: datetime, title: str):
    existing = CooperationAction.objects.filter(action_id=request.reference).first()
    if existing is not None:  # resolved twice through a race or a retry: link, don't copy
        return existing
    year = timezone.localtime(now).year
    code, name = (part.format(year=year) for part in COOPERATION_PROGRAMME)
    try:
        action = action_create_from(
            entity_code=request.entity_code,
            programme_code=code,
            programme_name=name,
            kind=ActionKind.GRANT if request.outcome == Outcome.GRANT else ActionKind.SERVICE,
            title=title,
            amount_granted=request.amount or Decimal("0.00"),
            status="granted",
            service_code=request.service.code if request.service else "",
            requested_on=timezone.localtime(request.created_at).date(),
            granted_on=timezone.localtime(now).date(),
            source="office-request",
            source_reference=request.reference,
            action_id=request.reference,
        )
    except ActionImportError as error:
        detail = "; ".join(issue.message for issue in error.issues) or str(error)
        raise OfficeActionError(
            _("The cooperation action could not be created: %(detail)s") % {"detail": detail},
            code="cooperation-invalid",
            status=400,
        ) from error
    if request.is_demo:
        CooperationAction.objects.filter(pk=action.pk).update(is_demo=True)
    return action


def _transition_record(
    *,
    request: SupportRequest,
    to_state: str,
    actor,
    note: str,
    now: datetime,
    from_state: str | None = None,
    answered: bool = False,
    notify_text: str | None = None,
) -> RequestTransition:
    """The one place a state changes: audit row, times, notifications, metrics export."""
    previous = request.state if from_state is None else from_state
    request.state = to_state
    request.last_activity_at = now
    if answered and request.first_response_at is None:
        request.first_response_at = now
    if to_state in FINAL_STATES:
        request.closed_at = now
    request.save()
    transition = RequestTransition.objects.create(
        request=request,
        from_state=previous,
        to_state=to_state,
        actor=actor,
        note=note,
        created_at=now,
    )
    if notify_text is None:
        label = RequestState(to_state).label
        notify_text = _state_event_text(request=request, label=str(label), note=note)
    if notify_text:
        # The in-app notification is written in its reader's language when read: it
        # gets what happened, not this text (written in the language of whoever acted).
        event = {
            "kind": "request_new" if not previous else "request_state",
            "state": to_state,
            "key": f"transition:{transition.pk}",
        }
        _notify_later(request=request, actor=actor, text=notify_text, event=event)
    if not _MUTED.get():
        transaction.on_commit(_metrics_export_enqueue)
    return transition


def _state_event_text(*, request: SupportRequest, label: str, note: str) -> str:
    text = _("New state: %(state)s.") % {"state": label}
    return f"{text} {note[:500]}".strip()


# Loading demo data back-dates weeks of activity: nobody should get e-mails about it.
_MUTED: contextvars.ContextVar[bool] = contextvars.ContextVar("office_muted", default=False)


@contextmanager
def notifications_muted() -> Iterator[None]:
    """No e-mails and no metrics export are queued for changes made inside the block."""
    token = _MUTED.set(True)
    try:
        yield
    finally:
        _MUTED.reset(token)


def _notify_later(*, request: SupportRequest, actor, text: str, event: dict | None = None) -> None:
    if _MUTED.get():
        return
    request_id, actor_id = request.pk, getattr(actor, "pk", None)
    transaction.on_commit(
        lambda: _notifications_enqueue(
            request_id=request_id, actor_id=actor_id, text=text, event=event
        )
    )


def _notifications_enqueue(
    *, request_id: int, actor_id: int | None, text: str, event: dict | None = None
) -> None:
    try:
        request_notifications_task.enqueue(
            request_id=request_id, actor_id=actor_id, text=text, event=event
        )
    except Exception:  # an e-mail must never undo or fail a change already made
        logger.exception("office: could not enqueue notifications for request %s", request_id)


def _metrics_export_enqueue() -> None:
    try:
        metrics_export_task.enqueue()
    except Exception:
        logger.exception("office: could not enqueue the metrics export")
