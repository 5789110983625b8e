from django.urls import path

from guichet.messaging import views

app_name = "messaging"

urlpatterns = [
    path("ma-messagerie/", views.inbox_view, name="inbox"),
    path("ma-messagerie/ecrire/", views.write_view, name="write"),
    path("ma-messagerie/messages/<int:message_id>/envoye/", views.sent_view, name="sent"),
    path("ma-messagerie/messages/<int:message_id>/repondre/", views.reply_view, name="reply"),
    path("ma-messagerie/messages/<int:message_id>/", views.message_view, name="message"),
    path(
        "ma-messagerie/messages/<int:message_id>/supprimer/",
        views.delete_view,
        name="delete",
    ),
    path("ma-messagerie/messages/<int:message_id>/imprimer/", views.print_view, name="print"),
    path("ma-messagerie/messages/<int:message_id>/pdf/", views.message_pdf_view, name="pdf"),
    path("mes-notifications/", views.notifications_view, name="notifications"),
    path("mes-notifications/<int:notification_id>/", views.notification_view, name="notification"),
    path("mes-notifications/tout-lu/", views.notifications_read_view, name="notifications_read"),
    path(
        "mes-informations/information-de-paiement/",
        views.payment_information_view,
        name="payment_information",
    ),
    path(
        "ma-messagerie/pieces-jointes/<int:attachment_id>/",
        views.attachment_view,
        name="attachment",
    ),
]
