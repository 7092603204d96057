"""A joint spot check in the browser, in Chinese, by the people who do it: the department's staff
imports targets from Excel and makes a plan and a work plan, the office runs the public draw, the
inspector records a checklist, the head reviews and publishes, and the portal shows the result.

Each step starts from the demo data (docs/deploy.md's set-up plus ``spotcheck demo load``), so a
step can be read, run and fail on its own; every step keeps screenshots of what the person saw.
"""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect
from sqlalchemy import select

from spotcheck.db import session
from spotcheck.registry.targets.testing import credit_code
from spotcheck.tenancy.scope import Scope, scoped

pytestmark = pytest.mark.usefixtures("live_server")


def _query(live_app, statement):
    """Read the live database (to find the demo's objects a step starts from)."""
    with live_app.app_context(), scoped(session, Scope.system()):
        return session.execute(statement).all()


def _workbook(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["统一社会信用代码", "名称", "对象类型"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_staff_imports_targets_from_an_excel_file(visitor, tmp_path):
    names = ["城东区浏览器测试餐饮有限公司", "城东区浏览器测试超市有限公司"]
    upload = _workbook(tmp_path / "检查对象名录.xlsx",
                       [[credit_code(880000 + n), name, "公司"] for n, name in enumerate(names)])
    visitor.sign_in("demo-staff")
    visitor.sees("周婷")
    visitor.shot("signed-in")

    visitor.open("/registry/imports/")
    visitor.page.locator("select[name=kind]").select_option("targets")
    visitor.page.locator("input[name=file]").set_input_files(str(upload))
    visitor.shot("file-chosen")
    visitor.page.get_by_role("button", name="校验文件").click()
    visitor.sees("导入这些行")
    visitor.sees(names[0])
    visitor.shot("checked")
    visitor.page.get_by_role("button", name="导入这些行").click()
    visitor.page.wait_for_load_state()
    visitor.shot("imported")

    visitor.open("/targets/?q=" + names[1])
    visitor.sees(names[1])
    visitor.shot("in-the-directory")


def test_staff_makes_a_plan_and_its_work_plan(visitor):
    year = date.today().year + 1
    name = f"{year}年城东区浏览器测试餐饮抽查计划"
    visitor.sign_in("demo-staff")
    visitor.open("/plans/new")
    form = visitor.page
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=year]").fill(str(year))
    form.locator("input[name=window_start]").fill(f"{year}-03-01")
    form.locator("input[name=window_end]").fill(f"{year}-11-30")
    form.locator("input[name=ratio_bp]").fill("500")
    visitor.shot("plan-form")
    form.get_by_role("button", name="保存", exact=True).click()
    visitor.sees(name)
    visitor.shot("plan-saved")

    form.locator("input[name=items]").first.check()
    form.get_by_role("button", name="保存事项").click()
    visitor.shot("items-chosen")
    form.get_by_role("button", name="报送联席办").click()
    visitor.sees("已报送")
    visitor.shot("plan-submitted")

    form.get_by_role("link", name="工作方案", exact=True).click()
    form.get_by_role("button", name="制定工作方案").click()
    form.get_by_role("link", name="新增批次").click()
    form.locator("input[name=name]").fill("第一批次")
    form.locator("input[name=window_start]").fill(f"{year}-05-01")
    form.locator("input[name=window_end]").fill(f"{year}-06-30")
    visitor.shot("batch-form")
    form.get_by_role("button", name="保存", exact=True).click()
    visitor.sees("第1批次")
    visitor.shot("work-plan-with-batch")


def test_the_office_runs_the_public_draw_ceremony(visitor, live_app):
    from spotcheck.draw.models import Draw, DrawState

    ((draw_id,),) = _query(live_app, select(Draw.id).where(Draw.state == DrawState.PREPARED.value)
                           .order_by(Draw.id).limit(1))
    visitor.sign_in("demo-office")
    visitor.open(f"/draws/{draw_id}/ceremony")
    visitor.sees("抽取前已承诺")
    visitor.page.locator("#entropy").fill("6 2 5 3 1 4")
    visitor.shot("entropy-entered")
    visitor.page.get_by_role("button", name="开始抽取").click()
    visitor.sees("抽取完成")
    visitor.sees("6 2 5 3 1 4")
    visitor.shot("drawn")


# Fills every question of a checklist form the way an inspector who found nothing wrong would:
# the first choice of each group ("是" for yes/no questions), the lowest number allowed, today for
# dates, and a plain remark for text.
FILL_CHECKLIST = """
(section) => {
  const today = new Date().toISOString().slice(0, 10);
  for (const group of section.querySelectorAll('fieldset')) {
    const first = group.querySelector('input[type=radio], input[type=checkbox]');
    if (first) first.checked = true;
  }
  for (const input of section.querySelectorAll('input[type=text], input[type=number], input[type=date], textarea')) {
    if (input.value) continue;
    if (input.type === 'number') input.value = input.min || '1';
    else if (input.type === 'date') input.value = today;
    else input.value = '现场检查未发现问题';
  }
}
"""


def test_the_inspector_records_a_checklist_on_site(visitor, live_app):
    from spotcheck.inspection.models import Task, TaskItem, TaskState

    candidates = _query(live_app, select(TaskItem.task_id, TaskItem.id, TaskItem.name_zh).join(Task, Task.id == TaskItem.task_id)
                        .where(Task.state == TaskState.ON_SITE.value, TaskItem.recorded_at.is_(None))
                        .order_by(Task.id, TaskItem.id).limit(20))
    visitor.sign_in("demo-inspector")
    record = visitor.page.get_by_role("button", name="录入检查记录表")
    for task_id, item_id, item_name in candidates:
        response = visitor.page.goto(f"{visitor.base_url}/tasks/{task_id}/items/{item_id}")
        if response.ok and record.count():
            break
    else:
        pytest.fail("the demo gives the demo inspector no on-site task with a form to record")
    visitor.shot("blank-form")
    visitor.page.locator("section[aria-labelledby=questions-heading]").evaluate(FILL_CHECKLIST)
    visitor.page.locator("input[name=methods]").first.check()
    visitor.shot("form-filled")
    record.click()
    visitor.page.wait_for_load_state()
    visitor.open(f"/tasks/{task_id}")
    expect(visitor.page.locator("tr", has_text=item_name).get_by_text("已填写")).to_be_visible()
    visitor.shot("task-with-form-recorded")


def test_the_head_reviews_and_publishes_and_the_portal_shows_the_result(visitor, live_app):
    from spotcheck.inspection.models import Task, TaskState
    from spotcheck.registry.targets.models import Target

    candidates = _query(live_app, select(Task.id, Target.code, Target.name).join(Target, Target.id == Task.target_id)
                        .where(Task.state == TaskState.RECORDED.value).order_by(Task.id).limit(20))
    visitor.sign_in("demo-head")
    approve = visitor.page.get_by_role("button", name="审核通过，提交公示")
    for task_id, code, name in candidates:
        response = visitor.page.goto(f"{visitor.base_url}/tasks/{task_id}")
        if response.ok and approve.count():
            break
    else:
        pytest.fail("the demo gives the demo head no recorded task to review")
    visitor.sees("已录入结果")
    visitor.shot("to-review")
    approve.click()
    visitor.sees("已审核")
    visitor.shot("reviewed")
    visitor.page.get_by_role("button", name="在公示平台公示").click()
    visitor.sees("已发布")
    visitor.shot("published")

    # A member of the public, signed in nowhere, finds the result on the portal.
    visitor.page.context.clear_cookies()
    visitor.open("/public/results")
    visitor.page.get_by_label("名称或统一社会信用代码").fill(code)
    visitor.page.get_by_role("button", name="查询").click()
    visitor.sees("共 1 个检查对象符合条件")
    visitor.shot("portal-search")
    visitor.page.get_by_role("link", name=name).click()
    visitor.page.wait_for_url(f"**/public/targets/{code}")
    visitor.sees(name)
    visitor.shot("portal-target")
