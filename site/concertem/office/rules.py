"""The office's rules: who may do what with a support request, and what input is valid.

Every refusal is an ``OfficeActionError`` with a stable ``code`` (tests check codes), an
HTTP status, and a message for the person refused; views turn it into a page. The state
machine is ``TRANSITIONS``. Nothing here writes: the writes are in ``concertem.office.services``,
which checks with these functions first; views and templates ask them what to offer.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from concertem.office.attachments import ALLOWED, AttachmentRejected, attachment_sniff
from concertem.office.models import RequestState, Service, SupportRequest
from concertem.office.selectors import Actor

S = RequestState
# state -> the states an agent or a manager may move it to.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.RECEIVED: (S.ASSIGNED, S.DECLINED),
    S.ASSIGNED: (S.IN_PROGRESS, S.WAITING, S.RESOLVED, S.DECLINED),
    S.IN_PROGRESS: (S.WAITING, S.RESOLVED, S.DECLINED),
    S.WAITING: (S.IN_PROGRESS, S.RESOLVED, S.DECLINED),
    S.RESOLVED: (),
    S.DECLINED: (),
}
SUBJECT_MAX = 200
DESCRIPTION_MAX = 5000
MESSAGE_MAX = 5000
ATTACHMENTS_PER_POST = 5


class OfficeActionError(Exception):
    """A refusal the user can understand; ``code`` is stable, ``status`` is the HTTP status."""

    def __init__(self, message: str, *, code: str, status: int = 403) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


# ---- Settings (read at call time so tests can override them) ----


def attachment_max_bytes() -> int:
    return int(getattr(settings, "OFFICE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def idle_days() -> int:
    return int(getattr(settings, "OFFICE_IDLE_REMINDER_DAYS", 5))


# ---- Rules ----


def login_required_check(actor: Actor) -> None:
    if not actor.is_authenticated:
        raise OfficeActionError(_("Log in to use the office."), code="login-required")


def request_file_check(
    *, actor: Actor, service: Service | None, entity_code: str | None = None
) -> str:
    """May this person file a request (for this entity, against this service)? Returns the
    entity code the request is filed for."""
    login_required_check(actor)
    if actor.official is None:
        raise OfficeActionError(
            _(
                "Only officials of a local entity file support requests, and your account is "
                "not tied to any entity. Write to the Diputació to be registered."
            ),
            code="no-entity",
        )
    if not actor.official.verified:
        raise OfficeActionError(
            _(
                "Your account as an official is waiting to be verified by the Diputació. You "
                "can file requests once it is."
            ),
            code="official-unverified",
        )
    own = actor.official.entity_code
    if entity_code and entity_code != own:
        raise OfficeActionError(
            _("You can only file requests for the entity you represent (%(entity)s).")
            % {"entity": actor.official.entity_name},
            code="other-entity",
        )
    if service is not None and not service.active:
        raise OfficeActionError(
            _(
                "The service «%(title)s» has been withdrawn and no longer takes requests. "
                "Describe your need as a free request instead, or choose another service."
            )
            % {"title": service.title_local},
            code="service-withdrawn",
            status=400,
        )
    return own


def request_can_view(*, actor: Actor, request: SupportRequest) -> bool:
    if not actor.is_authenticated:
        return False
    if actor.is_manager:
        return True
    if actor.agent is not None and (
        request.agent_id == actor.agent.pk or actor.agent.covers(request.entity_code)
    ):
        return True
    return actor.entity_code is not None and actor.entity_code == request.entity_code


def request_view_check(*, actor: Actor, request: SupportRequest) -> None:
    login_required_check(actor)
    if not request_can_view(actor=actor, request=request):
        # 404, as for a reference that does not exist: an outsider cannot tell the two
        # apart, so trying references does not reveal how many requests there are.
        raise OfficeActionError(
            _("There is no request with this reference among those you can see."),
            code="not-found",
            status=404,
        )


def request_can_handle(*, actor: Actor, request: SupportRequest) -> bool:
    """Managers, and the agent assigned or whose territory covers the entity."""
    if actor.is_manager:
        return True
    agent = actor.agent
    return agent is not None and (request.agent_id == agent.pk or agent.covers(request.entity_code))


def request_handle_check(*, actor: Actor, request: SupportRequest) -> None:
    request_view_check(actor=actor, request=request)
    if not request_can_handle(actor=actor, request=request):
        raise OfficeActionError(
            _(
                "Only the territorial agent of this entity and the office's managers can change "
                "the state of a request."
            ),
            code="not-handler",
        )


def transitions_allowed(*, actor: Actor, request: SupportRequest) -> tuple[str, ...]:
    if not request_can_handle(actor=actor, request=request):
        return ()
    return TRANSITIONS[request.state]


def transition_check(*, actor: Actor, request: SupportRequest, to_state: str) -> None:
    request_handle_check(actor=actor, request=request)
    if to_state not in TRANSITIONS[request.state]:
        raise OfficeActionError(
            _("A request that is «%(from)s» cannot become «%(to)s».")
            % {
                "from": RequestState(request.state).label,
                "to": RequestState(to_state).label if to_state in S.values else to_state,
            },
            code="transition-not-allowed",
            status=400,
        )


def text_clean(text: str, *, limit: int, code: str, what: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise OfficeActionError(_("%(what)s is empty.") % {"what": what}, code=code, status=400)
    if len(text) > limit:
        raise OfficeActionError(
            _("%(what)s is too long: %(length)s characters, the limit is %(limit)s.")
            % {"what": what, "length": len(text), "limit": limit},
            code=f"{code}-too-long",
            status=400,
        )
    return text


# ---- Attachments ----


def attachments_check(files: Sequence[UploadedFile]) -> list[tuple[UploadedFile, bytes, str, str]]:
    """Read and sniff every file before anything is written: all are accepted or none."""
    if len(files) > ATTACHMENTS_PER_POST:
        raise OfficeActionError(
            _("At most %(count)s files at a time.") % {"count": ATTACHMENTS_PER_POST},
            code="too-many-files",
            status=400,
        )
    limit = attachment_max_bytes()
    checked = []
    for upload in files:
        name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][:150]
        if upload.size is not None and upload.size > limit:
            data = b""
            size = upload.size
        else:
            data = upload.read(limit + 1)
            size = len(data)
        try:
            if size > limit:
                raise AttachmentRejected("too-large", name=name)
            kind = attachment_sniff(name=name, data=data, max_bytes=limit)
        except AttachmentRejected as rejected:
            raise OfficeActionError(
                _attachment_message(rejected, limit), code=f"attachment-{rejected.code}", status=400
            ) from None
        checked.append((upload, data, name, kind.content_type))
    return checked


def _attachment_message(rejected: AttachmentRejected, limit: int) -> str:
    allowed = ", ".join(sorted({extension for extension in ALLOWED if extension != "jpeg"}))
    messages = {
        "empty": _("«%(name)s» is empty."),
        "too-large": _("«%(name)s» is larger than the limit of %(mb)s MB."),
        "type-not-allowed": _("«%(name)s» is not an accepted type. Accepted: %(allowed)s."),
        "content-mismatch": _(
            "The content of «%(name)s» is not what its extension says (or the file is "
            "damaged, or a document with macros). Accepted: %(allowed)s."
        ),
    }
    return messages[rejected.code] % {
        "name": rejected.name,
        "mb": limit // (1024 * 1024),
        "allowed": allowed,
    }


def amount_parse(raw: Decimal | str | None, *, required: bool) -> Decimal:
    if raw in (None, ""):
        if required:
            raise OfficeActionError(
                _("Give the amount granted, in euros."), code="amount-required", status=400
            )
        return Decimal("0.00")
    try:
        value = Decimal(str(raw).replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise OfficeActionError(
            _("The amount is not a number."), code="amount-invalid", status=400
        ) from None
    if not value.is_finite() or value < 0 or value >= Decimal("1e12"):
        raise OfficeActionError(
            _("The amount is not a valid sum of euros."), code="amount-invalid", status=400
        )
    if required and value == 0:
        raise OfficeActionError(
            _("A grant needs an amount above zero."), code="amount-required", status=400
        )
    return value.quantize(Decimal("0.01"))


STATE_HELP = {
    S.RECEIVED: gettext_lazy("The office has it and will route it to an agent."),
    S.ASSIGNED: gettext_lazy("A territorial agent is responsible for it."),
    S.IN_PROGRESS: gettext_lazy("The agent is working on it."),
    S.WAITING: gettext_lazy("The agent needs something from the entity."),
    S.RESOLVED: gettext_lazy("Done: see the resolution."),
    S.DECLINED: gettext_lazy("Not taken on: see the reason."),
}
