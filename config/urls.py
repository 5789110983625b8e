from django.urls import include, path

from guichet.core import views as core_views

urlpatterns = [
    path("", include("guichet.home.urls")),
    path("", include("guichet.identity.urls")),
    path("", include("guichet.insured.urls")),
    path("", include("guichet.core.urls")),
    path("sante/", core_views.health_view, name="health"),
    path("accessibilite/", core_views.accessibility_view, name="accessibility"),
    path("demo/", include("guichet.demo.urls")),
    path("agents/", include("guichet.backoffice.urls")),
    path("favicon.ico", core_views.favicon_view),  # answers 404 unless GUICHET_DEMO=1
    path("", include("guichet.payments.urls")),
    path("", include("guichet.debts.urls")),
    path("", include("guichet.messaging.urls")),
    path("", include("guichet.documents.urls")),
    path("", include("guichet.complementary.urls")),
]
