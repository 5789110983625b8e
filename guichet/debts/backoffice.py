"""The "Créances" tab of a member's file in the back office (registered by DebtsConfig)."""

from guichet.backoffice.file_tabs import FileContext, FileTab
from guichet.backoffice.perms import Capability, can
from guichet.debts import selectors


def creances_data(context: FileContext) -> dict:
    return {
        "ledger": selectors.ledger_of(member=context.person),
        "can_issue_notice": can(context.request.user, Capability.ISSUE_NOTICES),
    }


def creances_tab() -> FileTab:
    return FileTab("creances", "Créances", 70, "debts/backoffice_tab.html", creances_data)
