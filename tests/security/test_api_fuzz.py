"""Fuzzing the API from its own OpenAPI document (schemathesis), as every business role and anonymously.

Each operation gets schema-valid and schema-invalid requests against a database holding a joint
check of two departments (one of it published). Every answer must not be a 5xx, must be documented
(status, content type, body schema), and invalid input must be refused with a 4xx.

Bounded for ``make test`` by ``SPOTCHECK_FUZZ_EXAMPLES`` examples per operation and per mode
(default 2); the longer run of docs/security.md sets it to 50.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings, strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, negative_data_rejection, response_headers_conformance,
    response_schema_conformance, status_code_conformance,
)

from spotcheck.api.tokens import create_token
from spotcheck.publication.testing import make_publication, make_reviewed_tasks

EXAMPLES = int(os.environ.get("SPOTCHECK_FUZZ_EXAMPLES", "2"))

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance, negative_data_rejection]
"""Not ``positive_data_acceptance``: the document cannot say which schema-valid values the rules
refuse (an unknown credit code, a plan of a past year), and those are rightly answered 4xx."""

ROLES = [("office", "OFFICE"), ("head", "SCJG"), ("staff", "SCJG"), ("inspector", "SCJG"), (None, None)]


@pytest.fixture
def joint_check(db_session, factories):
    """A reviewed joint check of SCJG and WSJK, one of its two tasks published."""
    tasks = make_reviewed_tasks(db_session, factories.department("SCJG"), [factories.department("WSJK")],
                                count=2)
    make_publication(db_session, tasks[0])
    return tasks


@pytest.mark.parametrize(("role", "department"), ROLES, ids=[role or "anonymous" for role, _d in ROLES])
def test_no_operation_answers_a_server_error_or_off_its_document(app, db_session, factories, joint_check,
                                                                  role, department):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    user = factories.user(role, department, must_change_password=False) if role else None
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        headers = {}
        if user is not None:
            # A fresh token each time: the fuzzer may revoke the one it holds (DELETE /tokens/{id}).
            _token, secret = create_token(db_session, user, "fuzz")
            db_session.commit()
            headers = {"Authorization": f"Bearer {secret}"}
        cases = st.one_of(operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
                          operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))

        @settings(max_examples=EXAMPLES * 2, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
        @given(case=cases)
        def call(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)

        try:
            call()
        except (Exception, BaseExceptionGroup) as error:  # every failing operation reported at once
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
