from django.urls import path

from sandboxes.franceconnect import views

urlpatterns = [
    path("", views.home_view, name="home"),
    path("api/v2/.well-known/openid-configuration", views.discovery_view, name="discovery"),
    path("api/v2/jwks", views.jwks_view, name="jwks"),
    path("api/v2/authorize", views.authorize_view, name="authorize"),
    path("api/v2/token", views.token_view, name="token"),
    path("api/v2/userinfo", views.userinfo_view, name="userinfo"),
    path("api/v2/session/end", views.end_session_view, name="end_session"),
]
