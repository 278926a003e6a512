"""The header's account menu: the bell's count and the links a person's roles open."""

from __future__ import annotations

from django import template

from concertem.notifications import services

register = template.Library()


@register.inclusion_tag("notifications/account_menu.html", takes_context=True)
def account_menu(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    data = {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "authenticated": bool(user and user.is_authenticated),
    }
    if not data["authenticated"]:
        return data
    from concertem.office.selectors import actor_of

    actor = actor_of(user)  # cached on the user for the rest of the request
    count = services.unread_count(request)
    data.update(
        unread=count,
        unread_label=services.bell_label(count),
        is_official=bool(actor.official and actor.official.verified),
        is_agent=actor.agent is not None,
    )
    return data
