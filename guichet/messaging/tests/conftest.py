import pytest

from guichet.identity.tests.factories import AccountFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Attachments go through the storage API: each test gets its own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _reference_data(request):
    """The topics and templates of the migrations, which a browser journey's flush removes."""
    if "django_db_setup" in request.fixturenames or request.node.get_closest_marker("django_db"):
        from guichet.messaging.services import ensure_reference_data

        request.getfixturevalue("db")
        ensure_reference_data()


@pytest.fixture
def account(db):
    return AccountFactory(insured_person__first_names="Eva", insured_person__birth_name="DUPONT")


@pytest.fixture
def eva(account):
    return account.insured_person


@pytest.fixture
def member(client, account):
    client.force_login(account)
    return account.insured_person
