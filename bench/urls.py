from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


@login_not_required
def bare_view(request: HttpRequest) -> HttpResponse:
    """The baseline: Django's whole middleware stack, then nothing."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/nu/", bare_view), path("", include("config.urls"))]
