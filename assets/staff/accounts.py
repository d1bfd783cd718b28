"""The one login page of staff and planners (/accounts/login/). The admin's own login
(/admin/login/, where the admin and staff_member_required send a visitor) only forwards
here, keeping ?next=, so that there is one form, one look and one set of translations."""
from urllib.parse import urlencode

from django.contrib.auth.views import LoginView
from django.shortcuts import redirect
from django.urls import reverse

from assets.roles import user_plans_only


class StaffLoginView(LoginView):
    """Django's LoginView (it checks that ?next= stays on this site); without a next, a
    planner lands on the planning dashboard and clerks on the admin."""

    template_name = "registration/login.html"

    def get_default_redirect_url(self):
        user = self.request.user
        if user_plans_only(user=user):
            return reverse("planning:dashboard")
        if user.is_staff:
            return reverse("admin:index")
        return reverse("home")


def admin_login_forward(request):
    """The admin's login URL: on to the one login page with the same next (the admin's
    index when none was given)."""
    next_url = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")
