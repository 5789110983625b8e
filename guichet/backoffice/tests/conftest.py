import pytest

from guichet.identity.enums import AgentRole
from guichet.identity.tests.factories import AccountFactory, make_agent
from guichet.insured.tests.factories import FundFactory, InsuredPersonFactory


@pytest.fixture
def fund(db):
    return FundFactory(code="010111411", name="CPAM de l'Ain")


@pytest.fixture
def member_account(fund):
    return AccountFactory(insured_person__fund=fund, insured_person__with_dependents=1)


@pytest.fixture
def stranger(db):
    """A person of another fund: the agents of `fund` must never see them."""
    return InsuredPersonFactory()


@pytest.fixture
def agent_of(fund):
    def make(role=AgentRole.ADVISER, **fields):
        return make_agent(role=role, fund=fund, **fields)

    return make


@pytest.fixture
def adviser(agent_of):
    return agent_of(AgentRole.ADVISER)


@pytest.fixture
def supervisor(agent_of):
    return agent_of(AgentRole.SUPERVISOR)
