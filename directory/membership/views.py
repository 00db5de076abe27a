"""Public membership application (/join/): an organisation applies, the 事務局 decides."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from core.limits import limited
from directory.membership import lifecycle
from directory.membership.forms import MembershipApplicationForm


@never_cache
@csrf_protect
@limited("form", methods=("POST",))
def apply(request: HttpRequest) -> HttpResponse:
    """Show and accept the application form (the 事務局 is mailed); errors show by their fields."""
    form = MembershipApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        lifecycle.notify_application(form.save())
        return redirect("membership-apply-thanks")
    return render(request, "directory/membership/apply.html", {"form": form})


def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/membership/thanks.html")
