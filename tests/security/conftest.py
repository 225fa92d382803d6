"""The attack tests run against the gateway of tests/gateway: the demo salon on the test
database and a stand-in Rasa."""

from tests.gateway.conftest import demo, gateway, rasa  # noqa: F401  (fixtures)
