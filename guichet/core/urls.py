from django.urls import path

from guichet.core import views
from guichet.core.upcoming import SECTIONS

app_name = "upcoming"

urlpatterns = [
    path(section.path, views.upcoming_view, {"section": slug}, name=slug)
    for slug, section in SECTIONS.items()
]
