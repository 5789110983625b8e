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
from guichet.identity.services.agents import (
    AgentLoginResult,
    AgentStep,
    SecondFactorResult,
    check_agent_credentials,
    choose_agent_password,
    close_agent_account,
    confirm_totp_enrolment,
    create_agent,
    reset_second_factor,
    start_totp_enrolment,
    verify_second_factor,
)
from guichet.identity.services.assistance import (
    close_account_by_fund,
    request_unlock,
    send_provisional_code,
    unlock_account,
)
from guichet.identity.services.common import IdentityError
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
    choose_personal_code,
    issue_provisional_code,
    request_code_reset,
)

__all__ = [
    "EMAIL_TAKEN",
    "AgentLoginResult",
    "AgentStep",
    "ChallengeResult",
    "CreationRefused",
    "IdentityError",
    "LoginResult",
    "LoginStep",
    "SecondFactorResult",
    "change_personal_code",
    "check_agent_credentials",
    "check_creation_eligibility",
    "check_member_credentials",
    "choose_agent_password",
    "choose_personal_code",
    "close_account",
    "close_account_by_fund",
    "close_agent_account",
    "complete_login",
    "confirm_email_change",
    "confirm_totp_enrolment",
    "create_agent",
    "create_member_account",
    "delete_accounts_of_demo",
    "iban_suffix_matches",
    "issue_provisional_code",
    "lock_duration",
    "open_active_account",
    "purge_stale_email_challenges",
    "record_audit_signup",
    "record_logout",
    "request_code_reset",
    "request_unlock",
    "reset_second_factor",
    "send_email_challenge",
    "send_provisional_code",
    "start_totp_enrolment",
    "trust_device",
    "unlock_account",
    "use_trusted_device",
    "verify_email_challenge",
    "verify_second_factor",
]  # fmt: skip
