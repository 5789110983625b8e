from django.urls import path

from guichet.backoffice.views import (
    account,
    auth,
    complementary,
    debts,
    members,
    messages,
    queues,
    supervision,
)

app_name = "backoffice"

urlpatterns = [
    path("connexion/", auth.login_view, name="login"),
    path("connexion/mot-de-passe/", auth.choose_password_view, name="choose_password"),
    path("connexion/double-authentification/", auth.enrol_view, name="enrol"),
    path("connexion/code/", auth.second_factor_view, name="second_factor"),
    path("deconnexion/", auth.logout_view, name="logout"),
    path("", members.home_view, name="home"),
    path("mon-compte/", account.my_account_view, name="my_account"),
    path("mon-compte/mot-de-passe/", account.my_password_view, name="my_password"),
    path("mon-compte/codes-de-secours/", account.my_recovery_codes_view, name="my_recovery_codes"),
    path("recherche/", members.search_view, name="search"),
    path(
        "complementaires/demandes/<int:request_id>/",
        complementary.request_view,
        name="complementary_request",
    ),
    path("assures/<int:person_id>/", members.member_file_view, name="member_file"),
    path("assures/<int:person_id>/<slug:tab>/", members.member_file_view, name="member_file_tab"),
    path(
        "assures/<int:person_id>/paiements/<int:payment_id>/",
        members.member_payment_view,
        name="member_payment",
    ),
    path("assures/<int:person_id>/compte/debloquer/", members.unlock_view, name="unlock"),
    path(
        "assures/<int:person_id>/compte/code-provisoire/",
        members.provisional_code_view,
        name="provisional_code",
    ),
    path(
        "assures/<int:person_id>/compte/fermer/", members.close_account_view, name="close_account"
    ),
    path(
        "assures/<int:person_id>/creances/emettre-un-avis/",
        debts.issue_notice_view,
        name="issue_notice",
    ),
    path(
        "assures/<int:person_id>/creances/avis/<int:notice_id>/annuler/",
        debts.cancel_notice_view,
        name="cancel_notice",
    ),
    path(
        "assures/<int:person_id>/messages/<int:thread_id>/",
        messages.thread_view,
        name="message_thread",
    ),
    path(
        "assures/<int:person_id>/messages/<int:thread_id>/repondre/",
        messages.answer_view,
        name="message_answer",
    ),
    path(
        "assures/<int:person_id>/messages/<int:thread_id>/note/",
        messages.note_view,
        name="message_note",
    ),
    path(
        "messages/pieces-jointes/<int:attachment_id>/",
        messages.attachment_view,
        name="message_attachment",
    ),
    path("files/", queues.queues_view, name="queues"),
    path("files/<slug:kind>/", queues.queue_view, name="queue"),
    path("files/elements/<int:item_id>/prendre/", queues.take_item_view, name="take_item"),
    path("files/elements/<int:item_id>/attribuer/", queues.assign_item_view, name="assign_item"),
    path("files/elements/<int:item_id>/liberer/", queues.release_item_view, name="release_item"),
    path("tableau-de-bord/", queues.dashboard_view, name="dashboard"),
    path("journal/", supervision.journal_view, name="journal"),
    path("equipe/", supervision.agents_view, name="agents"),
    path("equipe/nouvel-agent/", supervision.agent_create_view, name="agent_create"),
    path("equipe/<int:account_id>/", supervision.agent_view, name="agent"),
    path("equipe/<int:account_id>/debloquer/", supervision.agent_unlock_view, name="agent_unlock"),
    path(
        "equipe/<int:account_id>/double-authentification/",
        supervision.agent_reset_totp_view,
        name="agent_reset_totp",
    ),
    path(
        "equipe/<int:account_id>/mot-de-passe/",
        supervision.agent_new_password_view,
        name="agent_new_password",
    ),
    path("equipe/<int:account_id>/fermer/", supervision.agent_close_view, name="agent_close"),
    path("referentiels/", supervision.referentials_view, name="referentials"),
    path("referentiels/<slug:slug>/", supervision.referential_view, name="referential"),
    path(
        "referentiels/<slug:slug>/ajouter/",
        supervision.referential_add_view,
        name="referential_add",
    ),
    path(
        "referentiels/<slug:slug>/<int:pk>/modifier/",
        supervision.referential_edit_view,
        name="referential_edit",
    ),
    path(
        "referentiels/<slug:slug>/<int:pk>/historique/",
        supervision.referential_history_view,
        name="referential_history",
    ),
]
