"""What the admin's own templates ask of the registry (they get no view of ours to fill
their context): the count of new reports on the index."""
from django import template

from assets import scope

register = template.Library()


@register.simple_tag(takes_context=True)
def new_report_count(context) -> int:
    """New reports on the assets of the signed-in user's communes; 0 for a user who may not
    read reports (the index then says nothing about them)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("assets.view_report"):
        return 0
    return scope.report_new_count(user=user)
