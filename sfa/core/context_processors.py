from sfa.core.access import is_portal_user
from sfa.core.navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or is_portal_user(user):
        return {}
    return {"nav_items": menu_for(user, request.path)}
