"""What happened in the debates, for other parts of the site to act on (e-mails and
in-app notifications). The debates app cannot import the site's apps (site -> debates), so it
announces events here and the site listens.

Sent after the change is committed; receivers must not fail the sender (a notification
is never worth undoing a comment): `event_announce` logs what a receiver raises.
"""

from __future__ import annotations

import logging

from django.dispatch import Signal

logger = logging.getLogger(__name__)

# A new public comment was published. Args: comment (XtdComment), debate (the canonical
# DebatePage), follower_ids (ids of users who follow the debate, the author excluded).
comment_published = Signal()

# A comment was deleted by its author (its text is gone). Args: comment_id.
comment_deleted = Signal()

# A debate was closed by a moderator. Args: debate (canonical DebatePage), actor (user).
debate_closed = Signal()


def event_announce(signal: Signal, **kwargs) -> None:
    for receiver, result in signal.send_robust(sender=None, **kwargs):
        if isinstance(result, Exception):
            logger.error(
                "debates: receiver %r failed", receiver, exc_info=(type(result), result, None)
            )
