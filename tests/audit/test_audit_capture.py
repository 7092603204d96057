"""Every ORM create, update and delete is recorded in its own transaction, with a masked summary."""

from __future__ import annotations

import json
from datetime import timedelta, timezone

import pytest
from sqlalchemy import delete, event, insert, select, update
from sqlalchemy.exc import IntegrityError

from spotcheck import audit
from spotcheck.audit.capture import AuditError
from spotcheck.db import utcnow
from spotcheck.tenancy.models import ApiToken, Department, User, UserSession
from spotcheck.tenancy.roles import Role
from spotcheck.tenancy.scope import Scope, set_scope


def summary(record):
    return json.loads(record.summary)


def test_create_is_recorded_with_actor_values_masked_and_secrets_withheld(db, user, trail):
    created = trail()[-1]
    assert (created.action, created.object_type, created.object_id) == ("create", "user_account", str(user.id))
    assert (created.user_id, created.username, created.department_code) == (7, "zhang.san", "SCJG")
    assert (created.ip, created.request_id) == ("10.1.2.3", "req-0001")
    assert created.at.tzinfo is not None and created.at.utcoffset() == timedelta(0)
    after = summary(created)["after"]
    assert after["username"] == "li.si"
    assert after["role"] == "staff"
    assert after["phone"] == "138****5678"
    assert after["email"] == "l***@example.com"
    assert after["password_hash"] == after["totp_secret"] == "changed"
    assert after["created_at"].endswith("+00:00")  # set by a Python default during the flush
    assert "before" not in summary(created)


def test_update_records_before_and_after_of_changed_columns_only(db, user, trail):
    user.phone = "13900001111"
    user.display_name = "李四（稽查）"
    user.password_hash = "$argon2id$v=19$new-secret"
    db.commit()
    changed = trail()[-1]
    assert (changed.action, changed.object_type, changed.object_id) == ("update", "user_account", str(user.id))
    assert summary(changed) == {
        "before": {"display_name": "李四", "phone": "138****5678"},
        "after": {"display_name": "李四（稽查）", "phone": "139****1111", "password_hash": "changed"},
    }


def test_delete_records_what_the_row_held(db, user, trail):
    user_id = user.id
    db.delete(user)
    db.commit()
    removed = trail()[-1]
    assert (removed.action, removed.object_type, removed.object_id) == ("delete", "user_account", str(user_id))
    before = summary(removed)["before"]
    assert before["username"] == "li.si" and before["phone"] == "138****5678"
    assert "password_hash" not in before and "totp_secret" not in before
    assert "after" not in summary(removed)


def test_no_record_ever_holds_a_secret_or_personal_data_in_clear(db, user, trail):
    user.email = "wangwu@example.org"
    user.totp_secret = "KRSXG5CTMVRXEZLU"
    db.commit()
    db.delete(user)
    db.commit()
    text = "\n".join(record.summary for record in trail())
    for clear in ("13812345678", "lisi@example.com", "wangwu@example.org", "secret-hash",
                  "JBSWY3DPEHPK3PXP", "KRSXG5CTMVRXEZLU"):
        assert clear not in text


def test_id_numbers_are_masked(db, trail, licensee_model):
    db.add(licensee_model(name="王五", id_number="630102199001011234", phone="13812345678"))
    db.commit()
    after = summary(trail()[-1])["after"]
    assert after["id_number"] == "6301**********1234"
    assert after["name"] == "王五"


def test_rows_created_in_the_commits_own_flush_are_recorded_with_their_ids(db, trail):
    db.add(Department(code="SWJ", name_zh="税务局", name_en="Tax", level="district"))
    db.commit()  # no flush before: the commit's flush makes the row
    (created,) = trail()
    department = db.scalars(select(Department)).one()
    assert created.object_id == str(department.id)


def test_changes_made_by_a_later_commit_listener_are_recorded_too(db, trail):
    def late_change(db_session):
        db_session.add(Department(code="LATE", name_zh="迟到局", name_en="Late", level="district"))

    event.listen(db, "before_commit", late_change, once=True)
    db.add(Department(code="SWJ", name_zh="税务局", name_en="Tax", level="district"))
    db.commit()
    assert sorted(summary(r)["after"]["code"] for r in trail()) == ["LATE", "SWJ"]


def test_the_old_value_of_an_expired_object_is_read_before_the_change(db, user, trail):
    db.expire(user)  # as after a rollback: the session no longer holds the old values
    user.phone = "13900001111"
    db.commit()
    assert summary(trail()[-1])["before"] == {"phone": "138****5678"}


def test_a_deleted_object_that_was_not_loaded_is_recorded_with_its_values(db, user, trail):
    db.expire(user)
    db.delete(user)
    db.commit()
    before = summary(trail()[-1])["before"]
    assert (before["username"], before["phone"]) == ("li.si", "138****5678")


def test_a_column_set_to_a_sql_expression_is_recorded_with_its_value(db, user, trail):
    user.failed_logins = User.failed_logins + 1
    db.commit()
    assert summary(trail()[-1]) == {"before": {"failed_logins": 0}, "after": {"failed_logins": 1}}


def test_a_change_through_a_relationship_is_recorded_on_the_foreign_key(db, user, department, trail):
    other = Department(code="SWJ", name_zh="税务局", name_en="Tax", level="district")
    db.add(other)
    db.commit()
    user.department = other
    db.commit()
    assert summary(trail()[-1]) == {"before": {"department_id": department.id},
                                      "after": {"department_id": other.id}}


def test_session_bookkeeping_is_not_recorded_but_its_end_is(db, user, trail):
    now = utcnow()
    row = UserSession(token_hash="f" * 64, user_id=user.id, created_at=now, last_seen_at=now,
                      expires_at=now + timedelta(hours=12))
    db.add(row)
    db.commit()
    count = len(trail())
    row.last_seen_at = now + timedelta(minutes=2)
    db.commit()
    assert len(trail()) == count
    row.last_seen_at = now + timedelta(minutes=5)
    row.ended_at, row.end_reason = now + timedelta(minutes=5), "signed_out"
    db.commit()
    ended = trail()[-1]
    assert summary(ended)["before"] == {"end_reason": None, "ended_at": None}
    assert set(summary(ended)["after"]) == {"end_reason", "ended_at"}
    assert "f" * 64 not in "".join(record.summary for record in trail())


def test_a_rolled_back_transaction_leaves_no_record(db, user, trail):
    count = len(trail())
    user.phone = "13900001111"
    audit.record(db, "export", "user_account", user.id)
    db.flush()
    db.rollback()
    db.commit()
    assert len(trail()) == count


def test_a_failed_flush_leaves_no_record(db, user, department, trail):
    count = len(trail())
    audit.record(db, "export")
    db.add(User(department_id=department.id, username="li.si", display_name="重名", role=Role.STAFF,
                password_hash="x"))
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()
    db.add(Department(code="SWJ", name_zh="税务局", name_en="Tax", level="district"))
    db.commit()
    assert [(r.action, r.object_type) for r in trail()[count:]] == [("create", "department")]


def test_a_rolled_back_savepoint_drops_only_its_own_records(db, user, trail):
    count = len(trail())
    user.display_name = "外层"
    with pytest.raises(RuntimeError):
        with db.begin_nested():
            user.phone = "13900001111"
            audit.record(db, "export", "user_account", user.id)
            db.flush()
            raise RuntimeError("undo the savepoint")
    with db.begin_nested():
        audit.record(db, "role_change", "user_account", user.id, {"role": ["staff", "head"]})
    db.commit()
    kept = trail()[count:]
    assert [record.action for record in kept] == ["update", "role_change"]
    assert summary(kept[0])["after"] == {"display_name": "外层"}


def test_a_failed_flush_in_a_savepoint_keeps_the_records_of_the_enclosing_work(db, user, trail):
    count = len(trail())
    user.display_name = "外层"
    with pytest.raises(IntegrityError):
        with db.begin_nested():
            db.add(User(department_id=user.department_id, username="li.si", display_name="重名",
                        role=Role.STAFF, password_hash="x"))
            db.flush()
    db.commit()
    assert [(r.action, summary(r)["after"]) for r in trail()[count:]] == [("update", {"display_name": "外层"})]


def test_committing_with_a_savepoint_open_records_its_work(db, user, trail):
    count = len(trail())
    db.begin_nested()
    user.display_name = "保存点内"
    db.commit()
    assert [summary(r)["after"] for r in trail()[count:]] == [{"display_name": "保存点内"}]


def test_an_explicit_event_is_recorded_even_when_nothing_else_changes(new_session, user, trail):
    anonymous = new_session(user_id=None, username=None, department_code=None, request_id="req-9")
    audit.record(anonymous, "sign_in_failed", "user_account", None, {"login": "li.si"})
    anonymous.commit()
    failed = trail()[-1]
    assert (failed.action, failed.username, failed.ip, failed.request_id) == \
        ("sign_in_failed", None, "10.1.2.3", "req-9")
    assert summary(failed) == {"login": "li.si"}
    assert failed.at.tzinfo == timezone.utc


def test_a_unit_of_work_without_an_actor_is_recorded_as_the_system(database, tables, trail):
    db_session = database.sessionmaker()
    set_scope(db_session, Scope.system())
    db_session.add(Department(code="SWJ", name_zh="税务局", name_en="Tax", level="district"))
    db_session.commit()
    assert (trail()[-1].user_id, trail()[-1].username) == (None, "system")
    db_session.close()


def test_an_orm_update_statement_is_recorded_row_by_row(db, user, department, trail):
    second = User(department_id=department.id, username="wang.wu", display_name="王五",
                  role=Role.STAFF, phone="13700007777", password_hash="x")
    db.add(second)
    db.commit()
    count = len(trail())
    result = db.execute(update(User).where(User.department_id == department.id)
                        .values(phone="13600006666", password_hash="reset"))
    assert result.rowcount == 2
    db.commit()
    changed = trail()[count:]
    assert [(r.action, r.object_id) for r in changed] == [("update", str(user.id)), ("update", str(second.id))]
    assert summary(changed[0]) == {"before": {"phone": "138****5678"},
                                   "after": {"password_hash": "changed", "phone": "136****6666"}}


def test_an_orm_update_statement_records_only_the_rows_in_scope(new_session, db, user, trail):
    other = Department(code="SWJ", name_zh="税务局", name_en="Tax", level="district")
    db.add(other)
    db.commit()
    stranger = User(department_id=other.id, username="zhao.liu", display_name="赵六",
                    role=Role.STAFF, password_hash="x")
    db.add(stranger)
    db.commit()
    count = len(trail())
    scoped = new_session()
    set_scope(scoped, Scope.department(user.department_id))
    scoped.execute(update(User).values(display_name="改名"))
    scoped.commit()
    assert [(r.object_id, summary(r)["after"]) for r in trail()[count:]] == \
        [(str(user.id), {"display_name": "改名"})]


def test_an_orm_delete_statement_is_recorded_row_by_row(db, user, trail):
    token = ApiToken(user_id=user.id, name="报表", prefix="sc_ab", token_hash="e" * 64)
    db.add(token)
    db.commit()
    db.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.commit()
    removed = trail()[-1]
    assert (removed.action, removed.object_type, removed.object_id) == ("delete", "api_token", str(token.id))
    assert summary(removed)["before"]["name"] == "报表"
    assert "token_hash" not in summary(removed)["before"]


def test_statements_that_could_not_be_recorded_are_refused(db, department):
    with pytest.raises(AuditError, match="INSERT statement into department"):
        db.execute(insert(Department), [{"code": "X", "name_zh": "x", "name_en": "x", "level": "city"}])
    with pytest.raises(AuditError, match="list of parameter sets"):
        db.execute(update(Department), [{"id": department.id, "name_en": "y"}])
