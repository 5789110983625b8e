"""Writes of the identity app: logging in, codes, e-mail second factor, account creation and closing.

Every function takes the acting `actor`, writes the audit journal, and leaves its e-mails in the
outbox of the same transaction. The package is split by sub-domain; this module is its interface.
"""

from guichet.identity.services.accounts import (
    EMAIL_TAKEN,
    CreationRefused,
    check_creation_eligibility,
    close_account,
    confirm_email_change,
    create_member_account,
    delete_accounts_of_demo,
    iban_suffix_matches,
    open_active_account,
    record_audit_signup,
)
from guichet.identity.services.common import IdentityError
from guichet.identity.services.franceconnect import (
    Match,
    MatchKind,
    begin_round_trip,
    create_account,
    finish_logout,
    log_in,
    match_identity,
    purge_stale_round_trips,
    record_failure,
    use_state,
)
from guichet.identity.services.login import (
    ChallengeResult,
    LoginResult,
    LoginStep,
    check_member_credentials,
    complete_login,
    lock_duration,
    purge_stale_email_challenges,
    record_logout,
    send_email_challenge,
    trust_device,
    use_trusted_device,
    verify_email_challenge,
)
from guichet.identity.services.personal_codes import (
    change_personal_code,
    choose_first_personal_code,
    choose_personal_code,
    issue_provisional_code,
    request_code_reset,
)

__all__ = [
    "EMAIL_TAKEN",
    "ChallengeResult",
    "CreationRefused",
    "IdentityError",
    "LoginResult",
    "LoginStep",
    # FranceConnect
    "Match",
    "MatchKind",
    "begin_round_trip",
    "change_personal_code",
    "check_creation_eligibility",
    "check_member_credentials",
    "choose_first_personal_code",
    "choose_personal_code",
    "close_account",
    "complete_login",
    "confirm_email_change",
    "create_account",
    "create_member_account",
    "delete_accounts_of_demo",
    "finish_logout",
    "iban_suffix_matches",
    "issue_provisional_code",
    "lock_duration",
    "log_in",
    "match_identity",
    "open_active_account",
    "purge_stale_email_challenges",
    "purge_stale_round_trips",
    "record_audit_signup",
    "record_failure",
    "record_logout",
    "request_code_reset",
    "send_email_challenge",
    "trust_device",
    "use_state",
    "use_trusted_device",
    "verify_email_challenge",
]  # fmt: skip
