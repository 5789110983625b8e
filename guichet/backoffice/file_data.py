"""The data of each built-in tab of a member's file, read through the owning apps' selectors."""

from guichet.backoffice.common import paginate
from guichet.backoffice.file_tabs import FileContext
from guichet.backoffice.perms import Capability, can
from guichet.identity import selectors as identity_selectors
from guichet.insured import phones
from guichet.insured import selectors as insured_selectors
from guichet.payments import selectors as payment_selectors
from guichet.workqueues import kinds as work_kinds
from guichet.workqueues import selectors as work_selectors


def identity(context: FileContext) -> dict:
    return {}


def family(context: FileContext) -> dict:
    dependents, holders = insured_selectors.family_links(person=context.person)
    return {"dependents": dependents, "holders": holders}


def rights(context: FileContext) -> dict:
    return {
        "patient_share_exemptions": insured_selectors.patient_share_exemptions_of(
            person=context.person
        ),
    }


def contact(context: FileContext) -> dict:
    person = context.person
    return {
        "mobile_display": phones.display(person.mobile_phone),
        "landline_display": phones.display(person.landline_phone),
    }


def account(context: FileContext) -> dict:
    user = context.request.user
    items = list(work_selectors.pending_items_about(fund=context.fund, person_id=context.person.pk))
    for item in items:
        kind = work_kinds.get(item.kind)
        item.kind_title = kind.title if kind else item.kind
    return {
        "account": identity_selectors.account_of_person(person_id=context.person.pk),
        "work_items": items,
        "can_unlock": can(user, Capability.UNLOCK_ACCOUNT),
        "can_send_code": can(user, Capability.SEND_PROVISIONAL_CODE),
        "can_close": can(user, Capability.CLOSE_ACCOUNT),
    }


def payments(context: FileContext) -> dict:
    page = paginate(context.request, payment_selectors.payments_of_file(person=context.person))
    return {"page": page, "query": ""}
