"""What happened in the office, for the notifications app to tell people (e-mails, the
bell). The office decides who hears about what (concertem.office.notifications); how they hear
of it (now, in a digest, in the site) is the notifications app's business.

Receivers must not fail the sender: `event_announce` logs what a receiver raises.
"""

from __future__ import annotations

import logging

from django.dispatch import Signal

logger = logging.getLogger(__name__)

# A support request changed. Args: request (SupportRequest), recipients (users concerned,
# the actor possibly among them), actor_id (who made the change, or None), text (what
# happened, in the actor's words, for e-mails), event (dict: kind, state, key, url, for
# the in-app notification; None when there is none).
request_changed = Signal()

# A request has been idle too long. Args: request, users (who holds the ball), idle_days.
request_idle = Signal()


def event_announce(signal: Signal, **kwargs) -> list:
    """Send the signal; returns the receivers' results (a failure is logged, not raised)."""
    results = []
    for receiver, result in signal.send_robust(sender=None, **kwargs):
        if isinstance(result, Exception):
            logger.error(
                "office: receiver %r failed", receiver, exc_info=(type(result), result, None)
            )
        else:
            results.append(result)
    return results
