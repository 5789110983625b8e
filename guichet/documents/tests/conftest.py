# The payments' pages' fixtures, shared: a member with two children, signed in, on seed 002's day.
from guichet.payments.tests.test_views import TODAY, account, member, signed_in, today  # noqa: F401
