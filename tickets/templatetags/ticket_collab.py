"""The ticket page's collaboration pieces: mentions highlighted in the conversation, the
@mention picker, watchers with their buttons, the merge form and the merged banner; and the
availability switch of "My queue". Each reads what it needs once per page."""

from django import template
from django.urls import reverse

from sfa.core.access import Role, has_role
from sfa.core.forms import staff_users
from tickets import mentions, routing, watching

register = template.Library()


def _usernames(context) -> list[str]:
    """Active staff usernames, read once per page (the picker and the highlighting)."""
    cache = context.render_context
    if "ticket_collab_usernames" not in cache:
        cache["ticket_collab_usernames"] = list(
            staff_users().order_by("username").values_list("username", flat=True)
        )
    return cache["ticket_collab_usernames"]


@register.simple_tag(takes_context=True)
def highlight_mentions(context, text):
    """A comment's text, escaped, line breaks kept, ``@username`` of colleagues marked."""
    known = context.render_context.get("ticket_collab_known")
    if known is None:
        known = frozenset(name.casefold() for name in _usernames(context))
        context.render_context["ticket_collab_known"] = known
    return mentions.highlight(text, known)


@register.inclusion_tag("tickets/partials/mention_picker.html", takes_context=True)
def mention_picker(context):
    return {"usernames": _usernames(context)}


@register.inclusion_tag("tickets/partials/watchers.html", takes_context=True)
def ticket_watchers(context, ticket):
    user = context["request"].user
    watchers = list(ticket.watchers.order_by("username"))
    can_manage = watching.may_manage_watchers(ticket, user)
    watching_ids = {w.pk for w in watchers}
    addable = []
    if can_manage:
        addable = [
            u
            for u in staff_users()
            .order_by("username")
            .only("pk", "username", "first_name", "last_name")
            if u.pk not in watching_ids and u.pk != ticket.assignee_id
        ]
    return {
        "ticket": ticket,
        "watchers": watchers,
        "is_watching": user.pk in watching_ids,
        "can_manage": can_manage,
        "addable": addable,
        "csrf_token": context.get("csrf_token"),
        "user": user,
    }


@register.inclusion_tag("tickets/partials/merged_banner.html")
def ticket_merged_banner(ticket):
    merged_from = list(ticket.merged_tickets.order_by("pk").only("pk", "number", "subject"))
    target = ticket.merged_into if ticket.merged_into_id else None
    return {"ticket": ticket, "target": target, "merged_from": merged_from}


@register.inclusion_tag("tickets/partials/merge_form.html", takes_context=True)
def ticket_merge_form(context, ticket):
    user = context["request"].user
    can_merge = (
        user.has_perm("tickets.change_ticket")
        and ticket.merged_into_id is None
        and ticket.state != ticket.State.CLOSED
    )
    return {"ticket": ticket, "can_merge": can_merge}


@register.inclusion_tag("tickets/partials/availability_switch.html", takes_context=True)
def availability_switch(context):
    user = context["request"].user
    return {
        "shown": has_role(user, Role.SUPPORT_AGENT, Role.SUPPORT_MANAGER),
        "is_available": routing.agent_is_available(user),
        "csrf_token": context.get("csrf_token"),
        "teams_url": reverse("tickets:teams") if user.has_perm("tickets.assign_ticket") else "",
    }
